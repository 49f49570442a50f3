import MusterCore

/// PostgreSQL access for one service: a bounded pool of libpq connections,
/// queries whose interpolated values are bound, transactions, and agency scoping.
///
/// No libpq call blocks a cooperative thread: connections open on dedicated
/// threads; a caller sends its statements itself on a non-blocking socket and
/// waits on a continuation, which one of the pool's event-loop threads (one
/// `epoll` per core, each for its share of the connections) resumes when the
/// results have arrived. Broken
/// connections are noticed, even idle ones (e.g. when PostgreSQL restarts),
/// and replaced on demand; connections are recycled by age and by the number
/// of agencies they have touched. A task cancelled while its statement runs
/// still waits for the statement's result. The async functions are
/// `nonisolated(nonsending)`: they run on the caller's executor, without the
/// hops in and out (each a look-up of the task's executor) that a query would
/// otherwise pay several times.
///
/// ```swift
/// let pool = try DatabasePool(configuration: .init(url: url, maxConnections: 10), logger: logger)
/// let rows = try await pool.query("SELECT id, name FROM platform.things WHERE id = \(id)")
/// let users = try await pool.withAgency(agencyID) { tx in
///     try await tx.query("SELECT id, email FROM users WHERE active = \(true)", decoding: User.self)
/// }
/// await pool.shutdown()
/// ```
public final class DatabasePool: SQLQuerying {
    public let configuration: Configuration
    private let loops: EventLoopGroup
    private let leases: Leases

    public init(configuration: Configuration, logger: Logger) throws {
        guard configuration.maxConnections >= 1 else {
            throw PoolError.invalidConfiguration(reason: "maxConnections must be at least 1")
        }
        try ConnectionURL.validate(configuration.url)
        self.configuration = configuration
        loops = try EventLoopGroup(name: "muster-db-\(logger.service)", maxConnections: configuration.maxConnections)
        leases = Leases(connector: Connector(configuration: configuration, defaultApplicationName: "muster-\(logger.service)",
                                             loops: loops),
                        configuration: configuration, logger: logger)
    }

    deinit {
        loops.requestStop()
    }

    /// Runs one statement on its own (autocommit).
    nonisolated(nonsending) public func query(_ sql: SQL) async throws -> Rows {
        let statement = Statement(sql)
        try await settlePendingCheck(carriedBy: nil)
        return try await withConnection { connection in
            Rows(try await connection.run(.one(statement))[0])
        }
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// ```swift
    /// try await pool.transaction { tx in
    ///     try await tx.execute("INSERT INTO platform.agencies (id, slug) VALUES (\(id), \(slug))")
    ///     try await tx.execute("INSERT INTO platform.outbox (payload) VALUES (\(try JSONB(event)))")
    /// }
    /// ```
    nonisolated(nonsending) public func transaction<Value>(_ body: nonisolated(nonsending) (Transaction) async throws -> Value) async throws -> Value {
        try await transaction(touching: nil, scoped: false, body)
    }

    /// Runs `body` in a transaction scoped to one agency's schema: unqualified
    /// table names resolve there and nowhere else. The scoping is
    /// `SET LOCAL search_path` (never a session `SET`, so a pooled connection
    /// never carries it further, and PgBouncer's transaction mode keeps
    /// working), sent in the same round trip as `BEGIN` and the first statement.
    ///
    /// The agency must come from the caller's verified token, never from the
    /// request's URL or body. An agency without a schema here throws
    /// ``AgencyNotProvisioned``. (``within(_:_:)`` says the same for a
    /// ``Tenancy``, platform or agency.)
    ///
    /// ```swift
    /// let courses = try await pool.withAgency(principal.agencyID) { tx in
    ///     try await tx.query("SELECT id, title FROM courses ORDER BY title", decoding: Course.self)
    /// }
    /// ```
    nonisolated(nonsending) public func withAgency<Value>(_ agency: AgencyID, _ body: nonisolated(nonsending) (Transaction) async throws -> Value) async throws -> Value {
        try await transaction(touching: agency, scoped: true, body)
    }

    /// Runs one statement in its own transaction scoped to `agency`, in a
    /// single round trip: `BEGIN`, `SET LOCAL search_path`, the statement and
    /// `COMMIT` go out together. The same as ``withAgency(_:_:)`` with one
    /// statement, one round trip cheaper (and ``AgencyNotProvisioned`` likewise).
    ///
    /// ```swift
    /// let courses = try await pool.query("SELECT id, title FROM courses ORDER BY title", inAgency: principal.agencyID)
    ///     .decode(Course.self)
    /// ```
    nonisolated(nonsending) public func query(_ sql: SQL, inAgency agency: AgencyID) async throws -> Rows {
        // A pending check must hold before the statement commits: it goes in a transaction that can roll back.
        if let check = AgencyCheck.current, check.isPending {
            return try await transaction(touching: agency, scoped: true) { tx in try await tx.query(sql) }
        }
        return try await committedAlone(Statement(sql), inAgency: agency)
    }

    /// `BEGIN`, the scoping, `statement` and `COMMIT` in one round trip.
    nonisolated(nonsending) private func committedAlone(_ statement: Statement, inAgency agency: AgencyID) async throws -> Rows {
        try await withConnection { connection in
            let statements = [Transaction.begin, connection.touch(agency), statement, Transaction.commit]
            do {
                return Rows(try await connection.run(.many(statements, keeping: 2..<3))[0])
            } catch let error as DatabaseError {
                // The failure skipped the COMMIT: the transaction is still open, end it.
                _ = try? await connection.run(Transaction.rollbackAlone)
                throw await AgencyNotProvisioned.mapping(error, in: agency, on: connection)
            }
        }
    }

    /// Runs `body` under a condition its database work in `agency` depends on
    /// (see ``AgencyCheck``): the condition, one boolean, goes in the first round
    /// trip of the first transaction `body` opens in that agency; any other
    /// database work checks it alone first; if `body` touched no database, it
    /// is checked before this returns. `failure` is thrown when it is false —
    /// also instead of the error `body` threw, so a failed check always wins.
    ///
    /// ```swift
    /// try await pool.checking("SELECT EXISTS (SELECT 1 FROM sessions WHERE id = \(session) AND revoked_at IS NULL)",
    ///                         inAgency: agency, otherwise: HTTPError.unauthorized()) {
    ///     try await pool.withAgency(agency) { tx in try await tx.query("SELECT name FROM users WHERE id = \(user)") }
    /// }
    /// ```
    nonisolated(nonsending) public func checking<Value>(_ condition: SQL, inAgency agency: AgencyID, otherwise failure: any Error,
                                                        _ body: nonisolated(nonsending) () async throws -> Value) async throws -> Value {
        let check = AgencyCheck(condition, agency: agency, failure: failure)
        let value: Value
        do {
            value = try await AgencyCheck.$current.withValue(check) { try await body() }
        } catch {
            try await verifyAlone(check)
            throw error
        }
        try await verifyAlone(check)
        return value
    }

    /// Runs the task's pending check on its own unless the transaction about to
    /// open in `agency` carries it.
    nonisolated(nonsending) private func settlePendingCheck(carriedBy agency: AgencyID?) async throws {
        guard let check = AgencyCheck.current, check.isPending, agency != check.agency else { return }
        try await verifyAlone(check)
    }

    /// The check in a round trip of its own (read-only: nothing to undo if it fails).
    nonisolated(nonsending) private func verifyAlone(_ check: AgencyCheck) async throws {
        guard check.isPending else { return }
        try check.verify(try await committedAlone(check.statement, inAgency: check.agency))
    }

    /// Checks that PostgreSQL answers (for `/readyz`).
    nonisolated(nonsending) public func ping() async throws {
        _ = try await query("SELECT 1")
    }

    /// One of the pool's event-loop threads as a task executor (each access
    /// returns the next loop, so that tasks spread over all of them). A query
    /// normally costs two thread wake-ups (the loop's, when the result
    /// arrives, and a cooperative thread's, to resume the caller); code that
    /// runs many queries in a row can run on this executor instead: it is
    /// then leased a connection of its own loop where one is idle, so that
    /// each query resumes on the thread that read its result. Such code must
    /// not block or compute for long: it shares the thread with the loop's
    /// connections.
    ///
    /// ```swift
    /// let report = try await withTaskExecutorPreference(pool.executor) {
    ///     try await pool.withAgency(agencyID) { tx in try await buildComplianceReport(tx) }
    /// }
    /// ```
    public var executor: any TaskExecutor { loops.nextExecutor() }

    /// Pool sizes and counters, for `/metrics` (see ``registerMetrics(in:)``).

    public var statistics: PoolStatistics {
        leases.statistics(statementsSent: loops.loops.reduce(0) { $0 + $1.counters.statements.load(ordering: .relaxed) },
                          roundTrips: loops.loops.reduce(0) { $0 + $1.counters.roundTrips.load(ordering: .relaxed) })
    }

    /// Stops handing out connections, waits for leased ones to come back, then
    /// closes everything. Callers still waiting get ``PoolError/shutDown``.
    public func shutdown() async {
        await leases.shutdown()
        await loops.stop()
    }

    /// Leases a connection for `body` and always gives it back.
    nonisolated(nonsending) func withConnection<Value>(_ body: nonisolated(nonsending) (Connection) async throws -> Value) async throws -> Value {
        let connection: Connection
        if let idle = try leases.acquireIdle() { connection = idle } else { connection = try await leases.acquire() }
        defer { leases.release(connection) }
        return try await body(connection)
    }

    /// A transaction whose `BEGIN` goes out with its first statement; `agency`
    /// counts against the connection's agency budget, and if `scoped` the
    /// transaction is scoped to its schema.
    nonisolated(nonsending) func transaction<Value>(touching agency: AgencyID?, scoped: Bool,
                                                    _ body: nonisolated(nonsending) (Transaction) async throws -> Value) async throws -> Value {
        try await settlePendingCheck(carriedBy: scoped ? agency : nil)
        return try await withConnection { connection in
            if let agency, !scoped { connection.touch(agency) }
            let transaction = Transaction(connection: connection, scopedTo: scoped ? agency : nil)
            let scope = scoped ? agency : nil
            let value: Value
            do {
                value = try await body(transaction)
            } catch {
                await transaction.rollback()
                throw await Self.failure(error, in: scope, on: connection)
            }
            do {
                try await transaction.commit()
            } catch {
                throw await Self.failure(error, in: scope, on: connection)
            }
            return value
        }
    }

    /// What a failed transaction throws: a statement's error in an agency's
    /// scope may stand for ``AgencyNotProvisioned``.
    nonisolated(nonsending) private static func failure(_ error: any Error, in agency: AgencyID?, on connection: Connection) async -> any Error {
        guard let agency, let error = error as? DatabaseError else { return error }
        return await AgencyNotProvisioned.mapping(error, in: agency, on: connection)
    }
}
