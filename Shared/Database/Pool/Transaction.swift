import Synchronization

/// Statements that run in one transaction on one connection, handed to the
/// closure of ``DatabasePool/transaction(_:)`` or ``DatabasePool/withAgency(_:_:)``.
///
/// `BEGIN` (and the agency scoping) is not sent on its own: it goes in the
/// same round trip as the first statement. The transaction commits when the
/// closure returns and rolls back when it throws; if any statement failed, it
/// rolls back even if the closure caught the error, and that error is thrown.
///
/// ```swift
/// let id = try await pool.withAgency(agencyID) { tx in
///     let id = UUID()
///     try await tx.execute("INSERT INTO courses (id, title) VALUES (\(id), \(title))")
///     try await tx.execute("INSERT INTO outbox (event) VALUES (\(try JSONB(event)))")
///     return id
/// }
/// ```
public final class Transaction: SQLQuerying {
    private struct State {
        /// Statements still to send ahead of the first query (`BEGIN`, scoping).
        var prelude: [Statement]
        var began = false
        var finished = false
        var firstError: Error?
    }

    /// The agency schema this transaction is scoped to; `nil` outside `withAgency`.
    public let schema: SchemaName?
    let connection: Connection
    private let state: Mutex<State>

    init(connection: Connection, prelude: [Statement], schema: SchemaName?) {
        self.connection = connection
        self.schema = schema
        state = Mutex(State(prelude: prelude))
    }

    public func query(_ sql: SQL) async throws -> Rows {
        Rows(try await send([Statement(sql)])[0])
    }

    /// Runs several statements in one round trip; one result per statement.
    func pipeline(_ statements: [SQL]) async throws -> [Rows] {
        try await send(statements.map { Statement($0) }).map(Rows.init)
    }

    /// Runs a multi-statement script (migration files) inside the transaction.
    func runScript(_ text: String) async throws {
        if state.withLock({ !$0.prelude.isEmpty }) { _ = try await send([]) }
        try await recordingFailure {
            guard !state.withLock({ $0.finished }) else { throw PoolError.transactionFinished }
            try await connection.runScript(text)
        }
    }

    /// Sends `statements` after whatever prelude is still pending, in one
    /// round trip; returns the results of `statements` only.
    private func send(_ statements: [Statement]) async throws -> [ResultHandle] {
        try await recordingFailure {
            let result = try await withUnsafeThrowingContinuation { continuation in
                // Taking the prelude and queueing happen under one lock, so the
                // statements that carry BEGIN are always the first ones sent.
                let submitted = state.withLock { state in
                    guard !state.finished else { return false }
                    state.began = state.began || !state.prelude.isEmpty
                    connection.submit(.batch(state.prelude + statements, continuation))
                    state.prelude = []
                    return true
                }
                if !submitted { continuation.resume(throwing: PoolError.transactionFinished) }
            }
            return Array(result.results.suffix(statements.count))
        }
    }

    /// Remembers the first failure: the transaction will not commit after it.
    private func recordingFailure<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch {
            state.withLock { state in
                if state.firstError == nil, !state.finished { state.firstError = error }
            }
            throw error
        }
    }

    /// Commits, unless a statement failed: then rolls back and throws that error.
    func commit() async throws {
        let (began, failure) = finish()
        guard began else { return }
        if let failure {
            await rollbackSent()
            throw failure
        }
        _ = try await connection.run([Transaction.commit])
    }

    func rollback() async {
        let (began, _) = finish()
        if began { await rollbackSent() }
    }

    private func finish() -> (began: Bool, failure: Error?) {
        state.withLock { state in
            state.finished = true
            return (state.began, state.firstError)
        }
    }

    /// A failed rollback leaves the session in a transaction; the pool then closes it.
    private func rollbackSent() async {
        _ = try? await connection.run([Transaction.rollback])
    }

    static let begin = Statement("BEGIN")
    static let commit = Statement("COMMIT")
    static let rollback = Statement("ROLLBACK")
}
