extension HTTPClient {
    /// Limits and policies shared by every request of one client.
    ///
    /// ```swift
    /// let client = HTTPClient(configuration: .init(connectTimeout: .seconds(2), timeout: .seconds(10),
    ///                                              maxConnectionsPerHost: 16))
    /// // The Gateway: the user's token stays in `Authorization`, the service credential goes elsewhere.
    /// let gateway = HTTPClient(configuration: .init(credentialHeader: "X-Muster-Service-Credential"),
    ///                          credentialProvider: { try await credentials.token(for: .records) })
    /// ```
    public struct Configuration: Sendable {
        /// How long establishing a connection (TCP and TLS) may take.
        public var connectTimeout: Duration
        /// How long one attempt may take in all, connecting included. Each retry gets its own.
        public var timeout: Duration
        /// Connections open at once to one host; further requests wait for a free one.
        public var maxConnectionsPerHost: Int
        /// Idle keep-alive connections kept for reuse, across all hosts.
        public var maxIdleConnections: Int
        /// The largest response body accepted; a larger one fails with ``HTTPClientError/Kind/tooLarge``.
        public var maxResponseBytes: Int
        public var retry: RetryPolicy
        /// The header that carries the service credential as `Bearer <credential>`,
        /// unless the request already sets it.
        public var credentialHeader: String

        public init(connectTimeout: Duration = .seconds(2), timeout: Duration = .seconds(10),
                    maxConnectionsPerHost: Int = 16, maxIdleConnections: Int = 64,
                    maxResponseBytes: Int = 16 << 20, retry: RetryPolicy = RetryPolicy(),
                    credentialHeader: String = "Authorization") {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxIdleConnections = maxIdleConnections
            self.maxResponseBytes = maxResponseBytes
            self.retry = retry
            self.credentialHeader = credentialHeader
        }
    }
}
