import MusterCore

/// A service's settings, read once from the environment at start.
///
/// Every variable is listed in README.md's configuration table.
public struct ServiceConfiguration: Sendable {
    public let service: ServiceName
    /// `MUSTER_<SERVICE>_HOST`: the interface to listen on (default: the definition's `defaultHost`).
    public let host: String
    /// `MUSTER_<SERVICE>_PORT`.
    public let port: Int
    /// `MUSTER_<SERVICE>_DATABASE_URL`: this service's own database (required when it has one; none for the Gateway).
    public let databaseURL: String?
    /// `MUSTER_DB_POOL_SIZE` (default 10).
    public let poolSize: Int
    /// `MUSTER_DB_ACQUIRE_TIMEOUT_MS` (default 5000).
    public let acquireTimeoutMilliseconds: Int
    /// `MUSTER_DB_PREPARED_STATEMENTS` (default on): off behind a pooler in transaction
    /// mode that cannot track named prepared statements (PgBouncer before 1.21).
    public let usesPreparedStatements: Bool
    /// `MUSTER_MIGRATION_WORKERS` (default 4).
    public let migrationWorkers: Int
    /// `MUSTER_HTTP_EVENT_LOOPS` (default: one per core).
    public let eventLoops: Int?
    /// `MUSTER_SHUTDOWN_GRACE_MS` (default 10000): how long in-flight requests may finish.
    public let shutdownGraceMilliseconds: Int
    /// `MUSTER_HTTP_CLIENT_TIMEOUT_MS` (default 10000): total time of a call to another service.
    public let httpClientTimeoutMilliseconds: Int
    /// `MUSTER_HTTP_CLIENT_CONNECT_TIMEOUT_MS` (default 2000).
    public let httpClientConnectTimeoutMilliseconds: Int
    /// `MUSTER_PUBLIC_URL`: where browsers reach the Gateway (links in emails).
    public let publicURL: String
    public let peers: PeerDirectory
    public let environment: Environment
    public let version: String

    /// Reads the settings of `service`; `defaultHost` and `requiresDatabase` come from
    /// its definition (`ServiceDefinition.defaultHost`, a migrations folder).
    public init(service: ServiceName, defaultHost: String, requiresDatabase: Bool, environment: Environment = Environment()) throws {
        self.service = service
        self.environment = environment
        let prefix = service.environmentPrefix
        host = environment.string("\(prefix)_HOST", default: defaultHost)
        port = try environment.int("\(prefix)_PORT", default: service.defaultPort)
        databaseURL = environment["\(prefix)_DATABASE_URL"]
        if requiresDatabase, databaseURL == nil {
            throw ConfigurationError(variable: "\(prefix)_DATABASE_URL", problem: "is required (this service's own database)")
        }
        poolSize = try environment.int("MUSTER_DB_POOL_SIZE", default: 10)
        acquireTimeoutMilliseconds = try environment.int("MUSTER_DB_ACQUIRE_TIMEOUT_MS", default: 5000)
        usesPreparedStatements = try environment.bool("MUSTER_DB_PREPARED_STATEMENTS", default: true)
        migrationWorkers = try environment.int("MUSTER_MIGRATION_WORKERS", default: 4)
        eventLoops = try environment["MUSTER_HTTP_EVENT_LOOPS"].map { _ in try environment.int("MUSTER_HTTP_EVENT_LOOPS", default: 1) }
        shutdownGraceMilliseconds = try environment.int("MUSTER_SHUTDOWN_GRACE_MS", default: 10_000)
        httpClientTimeoutMilliseconds = try environment.int("MUSTER_HTTP_CLIENT_TIMEOUT_MS", default: 10_000)
        httpClientConnectTimeoutMilliseconds = try environment.int("MUSTER_HTTP_CLIENT_CONNECT_TIMEOUT_MS", default: 2000)
        publicURL = environment.string("MUSTER_PUBLIC_URL", default: "http://localhost:8080")
        peers = try PeerDirectory(environment: environment)
        version = environment.string("MUSTER_VERSION", default: MusterVersion.current)
    }
}

public enum MusterVersion {
    public static let current = "0.1.0"
}
