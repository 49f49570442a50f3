import MusterHTTP

/// How a request's body is delimited, decided from its headers alone.
enum BodyFraming {
    case none
    case length(Int)
    case chunked
}

/// A request line and header block that passed every framing check.
struct RequestHead {
    var method: HTTPMethod
    var target: String
    var version: HTTPVersion
    /// The route's constant answer when it has one; no header field is kept for
    /// it then (`headers` is empty), since no handler will read them.
    var fixed: FixedResponse?
    var headers: HTTPHeaders
    var framing: BodyFraming
    /// The connection stays open after this exchange (HTTP/1.1 default, HTTP/1.0 only when asked).
    var keepAlive: Bool
    var expectsContinue: Bool
    /// The client's `X-Request-Id`, when well-formed.
    var requestID: String?

    /// The target's path, without the query: what the body limit is looked up by.
    var path: Substring { Self.path(of: target) }

    static func path(of target: String) -> Substring {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target[...] }
        return target[..<mark]
    }
}

/// Why the server refuses a request before any handler sees it; the connection
/// is always closed afterwards, because the framing of what follows is unknown.
struct RequestRejection: Error {
    var status: HTTPStatus
    var code: String
    var message: String
    /// The client's request id, when the header block got far enough to carry one.
    var requestID: String?

    static func badRequest(_ message: String, requestID: String? = nil) -> RequestRejection {
        RequestRejection(status: .badRequest, code: "bad_request", message: message, requestID: requestID)
    }

    static func headersTooLarge(requestID: String? = nil) -> RequestRejection {
        RequestRejection(status: .headersTooLarge, code: "headers_too_large",
                         message: "The request line and headers are too large.", requestID: requestID)
    }

    static func bodyTooLarge(requestID: String?) -> RequestRejection {
        RequestRejection(status: .payloadTooLarge, code: "body_too_large",
                         message: "The request body is larger than this route accepts.", requestID: requestID)
    }

    var error: HTTPError {
        HTTPError(status, code: code, message: message, closesConnection: true)
    }
}
