import MusterHTTP
import MusterHTTPServer

/// Why an upstream exchange failed, and whether the upstream may have seen the request.
///
/// ```swift
/// func upstreamAnswered(_ result: Result<UpstreamResponse, UpstreamError>) {
///     if case .failure(let error) = result, error.requestNotProcessed, method.isIdempotent { /* try another instance */ }
/// }
/// ```
public struct UpstreamError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The endpoint URL is unusable (not `http://host:port`, unresolvable).
        case invalidEndpoint
        /// No connection could be made (refused, unreachable, connect timeout): nothing was sent.
        case connectFailed
        /// The connection closed or broke before the response head arrived.
        case connectionLost
        /// No complete response head within the exchange's timeout.
        case timedOut
        /// The upstream answered something that is not valid HTTP/1.1.
        case invalidResponse
        /// Called off an event loop, or the loop is stopping.
        case noEventLoop
    }

    public let kind: Kind
    public let message: String
    /// The connection broke on a reused keep-alive connection before a single
    /// response byte came back: the upstream most likely closed it while idle.
    public let onReusedConnectionBeforeResponse: Bool

    init(_ kind: Kind, _ message: String, onReusedConnectionBeforeResponse: Bool = false) {
        self.kind = kind
        self.message = message
        self.onReusedConnectionBeforeResponse = onReusedConnectionBeforeResponse
    }

    /// The request certainly or almost certainly was not processed: safe to send an
    /// idempotent request again, to another instance.
    public var requestNotProcessed: Bool { kind == .connectFailed || onReusedConnectionBeforeResponse }

    /// A failure of the instance (counts against its health), rather than of this call.
    public var isInstanceFailure: Bool { kind != .invalidEndpoint && kind != .noEventLoop }

    public var description: String { "\(kind): \(message)" }
}
