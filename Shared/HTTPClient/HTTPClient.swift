import MusterCore
import MusterHTTP

/// The HTTP/1.1 client for service-to-service calls, over libcurl.
///
/// One dedicated thread per client runs every transfer on a libcurl multi
/// handle, so many requests share few threads, never block Swift's cooperative
/// pool, and reuse keep-alive connections (at most
/// ``Configuration/maxConnectionsPerHost`` to one host). Proxies from the
/// environment are ignored, redirects are returned rather than followed.
///
/// ```swift
/// let client = HTTPClient(configuration: .init(connectTimeout: .seconds(2), timeout: .seconds(10), maxConnectionsPerHost: 16),
///                         credentialProvider: { try await credentials.token(for: .audit) })
/// let response = try await client.send(HTTPClientRequest(method: .post, url: "http://127.0.0.1:8083/internal/events",
///                                                        headers: ["X-Request-Id": id], body: bytes))
/// response.status; response.headers["content-type"]; response.body
/// await client.shutdown()
/// ```
///
/// Each attempt asks the `credentialProvider` for the service credential and
/// sends it as `Bearer` in ``Configuration/credentialHeader``, unless the
/// request sets that header itself. Idempotent requests are retried as
/// ``RetryPolicy`` says. Bodies and credentials are never logged.
public final class HTTPClient: Sendable {
    /// Returns the current service credential, or `nil` to send none.
    public typealias CredentialProvider = @Sendable () async throws -> String?

    public let configuration: Configuration
    let credentialProvider: CredentialProvider?
    let logger: Logger?
    private let loop: CurlEventLoop

    /// - Parameter logger: receives a warning for each retry (method, URL without query, reason).
    public init(configuration: Configuration = Configuration(), credentialProvider: CredentialProvider? = nil,
                logger: Logger? = nil) {
        self.configuration = configuration
        self.credentialProvider = credentialProvider
        self.logger = logger
        loop = CurlEventLoop(maxConnectionsPerHost: configuration.maxConnectionsPerHost,
                             maxIdleConnections: configuration.maxIdleConnections)
    }

    /// Sends `request` and returns the whole response, whatever its status.
    ///
    /// Throws ``HTTPClientError`` when no response could be had (after the
    /// retries the request allows), or `CancellationError` when the task is cancelled.
    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        try await withRetries(request) { try await loop.perform($0) }
    }

    /// Sends `request` and returns as soon as the response head has arrived;
    /// the body follows as a stream (see ``HTTPClientStreamingResponse``).
    public func stream(_ request: HTTPClientRequest) async throws -> HTTPClientStreamingResponse {
        try await withRetries(request) { try await loop.stream($0) }
    }

    /// Stops the client's thread and closes its connections. Requests still in
    /// flight fail with ``HTTPClientError/Kind/shutdown``, later ones too.
    public func shutdown() async {
        await loop.stopAndWait()
    }
}
