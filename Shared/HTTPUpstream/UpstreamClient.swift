import MusterHTTP
import MusterHTTPServer

/// The HTTP/1.1 client of a proxy: its connections live on the server's own
/// event loops, so forwarding a request costs no thread hop and no task.
///
/// Each loop keeps its own pool of keep-alive connections per endpoint. A
/// responder on the loop (a ``LoopResponder``, or a handler, which runs on its
/// request's loop) calls ``start(_:to:for:receiver:)`` with the request it serves:
/// the request goes out on that loop, and the receiver is told on the same
/// thread when the response head has arrived. A small body (a `Content-Length`
/// up to ``Configuration/bufferedBodyLimit``) comes whole; a larger or chunked
/// one is streamed, read from the upstream only as fast as the client takes it.
/// (Calls between services use `MusterHTTPClient` over libcurl instead.)
///
/// ```swift
/// final class Forward: UpstreamResponseReceiver {
///     let reply: LoopReply
///     func upstreamAnswered(_ result: Result<UpstreamResponse, UpstreamError>) {
///         let answer = try? result.get()
///         reply.send(answer.map { HTTPResponse(status: $0.status, headers: $0.headers, body: $0.body) }
///                    ?? HTTPResponse(status: .badGateway))
///     }
/// }
/// client.start(UpstreamRequest(method: request.method, target: request.target, headers: forwarded, body: request.body),
///              to: records, for: request, receiver: Forward(reply: reply))
/// ```
public final class UpstreamClient: Sendable {
    public struct Configuration: Sendable {
        /// How long a new connection may take to establish.
        public var connectTimeout: Duration
        /// An idle keep-alive connection is closed after this long (keep it below the upstream's own idle timeout).
        public var idleTimeout: Duration
        /// Idle connections kept per endpoint on each loop.
        public var maxIdlePerEndpoint: Int
        /// Bodies with a `Content-Length` up to this are handed over whole; larger ones stream.
        public var bufferedBodyLimit: Int

        public init(connectTimeout: Duration = .seconds(2), idleTimeout: Duration = .seconds(30),
                    maxIdlePerEndpoint: Int = 256, bufferedBodyLimit: Int = 64 * 1024) {
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.maxIdlePerEndpoint = maxIdlePerEndpoint
            self.bufferedBodyLimit = bufferedBodyLimit
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sends `request` to `endpoint` on the loop serving `incoming` (the caller's
    /// thread); `receiver` is told the response, or an ``UpstreamError``, on that
    /// thread — before this returns when no connection could even be opened.
    /// ``UpstreamError/requestNotProcessed`` tells when another instance may be tried.
    public func start(_ request: UpstreamRequest, to endpoint: UpstreamEndpoint, for incoming: HTTPRequest,
                      receiver: any UpstreamResponseReceiver) {
        guard let loopContext = (incoming.context.loop as? EventLoop)?.confined else {
            receiver.upstreamAnswered(.failure(UpstreamError(.noEventLoop, "UpstreamClient.start must run on the request's event loop")))
            return
        }
        let pool = loopContext.local(ObjectIdentifier(self)) { UpstreamLoopPool(configuration: configuration) }
        do {
            let connection = try pool.connection(to: endpoint, loopContext)
            connection.start(request, receiver: receiver, loopContext)
        } catch {
            receiver.upstreamAnswered(.failure(error))
        }
    }
}

/// Waits for one upstream exchange; told its outcome once, on the loop's thread.
public protocol UpstreamResponseReceiver: AnyObject {
    func upstreamAnswered(_ result: Result<UpstreamResponse, UpstreamError>)
}
