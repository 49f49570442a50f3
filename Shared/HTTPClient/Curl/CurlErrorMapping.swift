import CCurl

extension HTTPClientError {
    /// The error for a transfer libcurl ended with `code`.
    ///
    /// Whether the server may have seen the request follows from whether any of
    /// it went out, whatever the code: a failure before that point is a
    /// connection failure, safe to repeat anywhere.
    static func transferFailed(_ code: CURLcode, message: String, requestStarted: Bool,
                               exceededLimit limit: Int?) -> HTTPClientError {
        if let limit {
            return HTTPClientError(.tooLarge, mayHaveReachedServer: true,
                                   message: "the response body exceeds the limit of \(limit) bytes")
        }
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return HTTPClientError(.invalidRequest, mayHaveReachedServer: false, message: message)
        case _ where !requestStarted:
            return HTTPClientError(.connectionFailed, mayHaveReachedServer: false, message: message)
        case CURLE_FILESIZE_EXCEEDED:
            return HTTPClientError(.tooLarge, mayHaveReachedServer: true, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPClientError(.timedOut, mayHaveReachedServer: true, message: message)
        default:
            return HTTPClientError(.connectionLost, mayHaveReachedServer: true, message: message)
        }
    }
}
