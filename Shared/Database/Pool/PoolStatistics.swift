import MusterCore

/// A snapshot of a pool, for `/metrics` and `/readyz`.
///
/// ```swift
/// let stats = pool.statistics
/// if stats.waiters > 0 { log.warning("database pool saturated", ["in_use": "\(stats.inUse)"]) }
/// ```
public struct PoolStatistics: Sendable, Equatable {
    /// Connections leased to callers right now.
    public var inUse: Int
    /// Open connections waiting to be leased.
    public var idle: Int
    /// Connections being opened.
    public var opening: Int
    /// Callers waiting for a connection.
    public var waiters: Int
    /// Connections opened since the pool started.
    public var totalOpened: Int
    /// Callers that gave up with ``PoolError/acquireTimeout(waited:maxConnections:)``.
    public var acquireTimeouts: Int
    /// Statements sent since the pool started (each pipelined statement and each script counts one).
    public var statementsSent: Int
    /// Round trips since the pool started (a pipelined batch or a script counts one).
    public var roundTrips: Int
}

extension DatabasePool {
    /// Adds the pool's gauges to `registry`, computed at each scrape:
    /// `muster_db_connections{state="in_use"|"idle"|"opening"}`, `muster_db_waiters`,
    /// `muster_db_connections_opened`, `muster_db_acquire_timeouts`, `muster_db_statements_sent`, `muster_db_round_trips`.
    ///
    /// ```swift
    /// pool.registerMetrics(in: metrics)
    /// ```
    public func registerMetrics(in registry: MetricsRegistry) {
        registry.addCollector { [weak self] in
            guard let stats = self?.statistics else { return [] }
            let connections = "Database connections by state."
            return [
                .init(name: "muster_db_connections", help: connections, labels: [("state", "in_use")], value: Double(stats.inUse)),
                .init(name: "muster_db_connections", help: connections, labels: [("state", "idle")], value: Double(stats.idle)),
                .init(name: "muster_db_connections", help: connections, labels: [("state", "opening")], value: Double(stats.opening)),
                .init(name: "muster_db_waiters", help: "Callers waiting for a database connection.", value: Double(stats.waiters)),
                .init(name: "muster_db_connections_opened", help: "Database connections opened since start.",
                      value: Double(stats.totalOpened)),
                .init(name: "muster_db_acquire_timeouts", help: "Callers that timed out waiting for a connection.",
                      value: Double(stats.acquireTimeouts)),
                .init(name: "muster_db_statements_sent", help: "SQL statements sent since start.",
                      value: Double(stats.statementsSent)),
                .init(name: "muster_db_round_trips", help: "Batches of statements sent and answered since start (a request's waits on the database).",
                      value: Double(stats.roundTrips)),
            ]
        }
    }
}
