import MusterCore
import MusterHTTP

/// Why a request failed, and whether the server may have seen it.
///
/// ```swift
/// do {
///     return try await client.send(request)
/// } catch let error as HTTPClientError where !error.mayHaveReachedServer {
///     return try await client.send(request.to(otherReplica))   // safe whatever the method
/// } catch let error as HTTPClientError where error.kind == .unsuccessfulStatus {
///     log.warning("peer refused", ["code": error.peerError?.code ?? "-"])
///     throw error
/// }
/// ```
/// Messages name the failure (curl's reason, host and port) and never include a
/// header or body, so they are safe to log.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// The request could not be sent as given: malformed URL, unsupported scheme.
        case invalidRequest
        /// No usable connection: name resolution failed, connection refused or unreachable,
        /// connect timeout, TLS handshake failure. The server never saw the request.
        case connectionFailed
        /// The connection broke, or the peer answered something that is not HTTP,
        /// after the request had started to go out.
        case connectionLost
        /// The total timeout elapsed after the request had started to go out.
        case timedOut
        /// The response body was larger than the allowed maximum.
        case tooLarge
        /// The client was shut down before or while the request ran.
        case shutdown
        /// The peer answered with a status outside 2xx (thrown by the JSON helpers and
        /// ``HTTPClientResponse/requireSuccess()``, never by ``HTTPClient/send(_:)``).
        case unsuccessfulStatus
        /// A 2xx body that is not the JSON the caller expected.
        case invalidResponse

        public var description: String {
            switch self {
            case .invalidRequest: "invalid request"
            case .connectionFailed: "connection failed"
            case .connectionLost: "connection lost"
            case .timedOut: "timed out"
            case .tooLarge: "response too large"
            case .shutdown: "client shut down"
            case .unsuccessfulStatus: "unsuccessful status"
            case .invalidResponse: "invalid response"
            }
        }
    }

    /// The uniform Muster error body `{"error":{"code","message","request_id"}}` of a peer.
    public struct PeerError: Sendable, Hashable, Decodable {
        public var code: String
        public var message: String
        public var requestID: String?

        public init(code: String, message: String, requestID: String? = nil) {
            self.code = code
            self.message = message
            self.requestID = requestID
        }
    }

    public var kind: Kind
    /// `false` only when the request certainly never reached the server, so that
    /// repeating it (here or on another replica) is safe whatever its method.
    public var mayHaveReachedServer: Bool
    public var message: String
    /// The peer's response, for ``Kind/unsuccessfulStatus`` and ``Kind/invalidResponse``.
    public var response: HTTPClientResponse?
    /// The peer's decoded error body, when it sent the uniform one.
    public var peerError: PeerError?

    public init(_ kind: Kind, mayHaveReachedServer: Bool, message: String, response: HTTPClientResponse? = nil,
                peerError: PeerError? = nil) {
        self.kind = kind
        self.mayHaveReachedServer = mayHaveReachedServer
        self.message = message
        self.response = response
        self.peerError = peerError
    }

    public var status: HTTPStatus? { response?.status }

    public var description: String { "HTTP client: \(kind): \(message)" }

    static func unsuccessfulStatus(_ response: HTTPClientResponse) -> HTTPClientError {
        let peerError = try? JSONCoding.decode(PeerErrorBody.self, from: response.body).error
        var message = "\(response.status)"
        if let peerError { message += " (\(peerError.code): \(peerError.message))" }
        return HTTPClientError(.unsuccessfulStatus, mayHaveReachedServer: true, message: message, response: response,
                               peerError: peerError)
    }

    /// Names where decoding failed but not the offending value, which may be a secret.
    static func undecodable(_ response: HTTPClientResponse, _ error: any Error) -> HTTPClientError {
        var message = "the \(response.status) response body is not the expected JSON"
        if let error = error as? DecodingError, let context = error.context {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            message += path.isEmpty ? "" : " (at \(path))"
        }
        return HTTPClientError(.invalidResponse, mayHaveReachedServer: true, message: message, response: response)
    }

    static let endedBeforeHead = HTTPClientError(.connectionLost, mayHaveReachedServer: true,
                                                 message: "the response ended before its head was complete")

    static func shutdown(mayHaveReachedServer: Bool) -> HTTPClientError {
        HTTPClientError(.shutdown, mayHaveReachedServer: mayHaveReachedServer, message: "the HTTP client is shut down")
    }
}

private struct PeerErrorBody: Decodable {
    var error: HTTPClientError.PeerError
}

private extension DecodingError {
    var context: Context? {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context):
            context
        @unknown default:
            nil
        }
    }
}
