/// The HTTP/1.1 client of a proxy: its connections live on the server's own
/// event loops, so forwarding a request costs no thread hop.
///
/// Each loop keeps its own pool of keep-alive connections per endpoint. A
/// handler calls ``send(_:to:for:)`` with the request it serves: the request
/// goes out on the loop that received it, and the handler resumes there when
/// the response head has arrived. A small body (a `Content-Length` up to
/// ``Configuration/bufferedBodyLimit``) comes whole; a larger or chunked one is
/// streamed, read from the upstream only as fast as the client takes it.
/// (Calls between services use `MusterHTTPClient` over libcurl instead.)
///
/// ```swift
/// let client = UpstreamClient(configuration: .init(connectTimeout: .seconds(1)))
/// let records = try UpstreamEndpoint(url: "http://10.0.0.7:8082")
/// router.fallback { request in
///     let upstream = try await client.send(UpstreamRequest(method: request.method, target: request.target,
///                                                          headers: forwarded, body: request.body),
///                                          to: records, for: request)
///     return HTTPResponse(status: upstream.status, headers: upstream.headers, body: upstream.body)
/// }
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

    /// Sends `request` to `endpoint` on the loop serving `incoming` and returns
    /// once the response head (and a small body) has arrived. (The incoming request,
    /// one reference, rather than its context: copying a context retains a dozen fields.)
    ///
    /// Throws ``UpstreamError``; ``UpstreamError/requestNotProcessed`` tells when
    /// another instance may be tried.
    public nonisolated(nonsending) func send(_ request: UpstreamRequest, to endpoint: UpstreamEndpoint,
                     for incoming: HTTPRequest) async throws(UpstreamError) -> UpstreamResponse {
        guard let loopContext = incoming.context.loop?.confined else {
            throw UpstreamError(.noEventLoop, "UpstreamClient.send must run on the request's event loop")
        }
        let pool = loopContext.local(ObjectIdentifier(self)) { UpstreamLoopPool(configuration: configuration) }
        let bytes = request.encoded(authority: endpoint.authority)
        let timeout = request.timeout.nanoseconds
        do {
            return try await withUnsafeThrowingContinuation { continuation in
                do {
                    let connection = try pool.connection(to: endpoint, loopContext)
                    connection.start(bytes, method: request.method, timeout: timeout, waiter: continuation, loopContext)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } catch let error as UpstreamError {
            throw error
        } catch {
            throw UpstreamError(.connectionLost, String(describing: error))
        }
    }
}
