extension DatabasePool {
    /// How a pool connects and when it recycles connections.
    ///
    /// ```swift
    /// let configuration = DatabasePool.Configuration(url: "postgresql://records:secret@db:5432/muster_records",
    ///                                                maxConnections: 10, acquireTimeout: .seconds(5))
    /// log.info("database", ["url": configuration.redactedURL])     // never the password
    /// ```
    public struct Configuration: Sendable, CustomStringConvertible {
        /// A libpq connection URI or `key=value` string (TLS via `sslmode=…`).
        public var url: String
        /// Connections open at most; further callers wait.
        public var maxConnections: Int
        /// How long a caller waits for a free connection before ``PoolError/acquireTimeout(waited:maxConnections:)``.
        public var acquireTimeout: Duration
        /// Connections older than this (less up to 15 % jitter) are closed when released.
        public var maxConnectionAge: Duration
        /// A connection that has been scoped to more agencies than this is closed when
        /// released: each agency's tables cost the backend ~90 KB of cache.
        public var maxAgenciesPerConnection: Int
        /// How long opening one connection may take (libpq counts whole seconds, at least 2).
        public var connectTimeout: Duration
        /// `application_name` shown in `pg_stat_activity`; defaults to `muster-<service>`.
        public var applicationName: String?
        /// Prepare each distinct statement once per connection and reuse it. Turn
        /// off behind a pooler that cannot track prepared statements (PgBouncer
        /// before 1.21, or with `max_prepared_statements = 0`).
        public var usesPreparedStatements: Bool
        /// A connection that has prepared more statements than this is recycled.
        public var maxPreparedStatementsPerConnection: Int

        public init(url: String, maxConnections: Int = 10, acquireTimeout: Duration = .seconds(5),
                    maxConnectionAge: Duration = .seconds(600), maxAgenciesPerConnection: Int = 200,
                    connectTimeout: Duration = .seconds(5), applicationName: String? = nil,
                    usesPreparedStatements: Bool = true, maxPreparedStatementsPerConnection: Int = 1000) {
            self.url = url
            self.maxConnections = maxConnections
            self.acquireTimeout = acquireTimeout
            self.maxConnectionAge = maxConnectionAge
            self.maxAgenciesPerConnection = maxAgenciesPerConnection
            self.connectTimeout = connectTimeout
            self.applicationName = applicationName
            self.usesPreparedStatements = usesPreparedStatements
            self.maxPreparedStatementsPerConnection = maxPreparedStatementsPerConnection
        }

        /// The URL with its password replaced by `***`, safe to log.
        public var redactedURL: String { ConnectionURL.redacted(url) }

        public var description: String {
            "\(redactedURL) (max \(maxConnections) connections, acquire timeout \(acquireTimeout))"
        }
    }
}
