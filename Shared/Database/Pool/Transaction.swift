import MusterCore
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
        /// `BEGIN` (and the scoping) has been sent, ahead of the first statement.
        var began = false
        var finished = false
        var firstError: Error?
    }

    /// The agency schema this transaction is scoped to; `nil` outside `withAgency`.
    public var schema: SchemaName? { agency.map(SchemaName.agency) }
    let connection: Connection
    private let agency: AgencyID?
    /// The agency's `SET LOCAL search_path`, sent right after `BEGIN`.
    private let scope: Statement?
    /// The task's pending ``AgencyCheck`` for this agency, sent after the scoping.
    private let check: AgencyCheck?
    private let state = Mutex(State())

    /// A transaction scoped to `agency`'s schema, or to none; it carries the
    /// task's pending check of that agency, if any.
    init(connection: Connection, scopedTo agency: AgencyID?) {
        self.connection = connection
        self.agency = agency
        scope = agency.map { connection.touch($0) }
        check = AgencyCheck.current.flatMap { $0.isPending(for: agency) ? $0 : nil }
    }

    nonisolated(nonsending) public func query(_ sql: SQL) async throws -> Rows {
        Rows(try await send([Statement(sql)])[0])
    }

    /// Runs several statements in one round trip; one result per statement.
    /// For reads that do not depend on each other.
    ///
    /// ```swift
    /// let (user, settings) = try await pool.withAgency(agency) { tx in
    ///     let rows = try await tx.pipeline(["SELECT name FROM users WHERE id = \(id)", "SELECT value FROM agency_settings"])
    ///     return (rows[0], rows[1])
    /// }
    /// ```
    nonisolated(nonsending) public func pipeline(_ statements: [SQL]) async throws -> [Rows] {
        let results = try await send(statements.map { Statement($0) })
        return (0..<results.count).map { Rows(results[$0]) }
    }

    /// Runs a multi-statement script (migration files) inside the transaction.
    nonisolated(nonsending) func runScript(_ text: String) async throws {
        if state.withLock({ !$0.began }) { _ = try await send([]) }
        try await recordingFailure {
            guard !state.withLock({ $0.finished }) else { throw PoolError.transactionFinished }
            try await connection.runScript(text)
        }
    }

    /// Sends `statements`, after `BEGIN`, the scoping and the check if not sent
    /// yet, in one round trip; returns the results of `statements` only.
    nonisolated(nonsending) private func send(_ statements: [Statement]) async throws -> BatchResult {
        try await recordingFailure {
            var checked = false
            var results = try await withUnsafeThrowingContinuation { continuation in
                // Deciding on BEGIN and queueing happen under one lock, so the
                // statements that carry BEGIN are always the first ones sent.
                let submitted = state.withLock { state in
                    guard !state.finished else { return false }
                    let batch = state.began ? statements : opening(statements)
                    checked = !state.began && check != nil
                    let kept = statements.count + (checked ? 1 : 0)
                    connection.submit(.batch(.many(batch, keeping: batch.count - kept..<batch.count), continuation))
                    state.began = true
                    return true
                }
                if !submitted { continuation.resume(throwing: PoolError.transactionFinished) }
            }
            if checked, let check { try check.verify(Rows(results.removeFirst())) }
            return results
        }
    }

    /// `BEGIN`, the scoping, the check, then `statements`.
    private func opening(_ statements: [Statement]) -> [Statement] {
        var batch: [Statement] = []
        batch.reserveCapacity(3 + statements.count)
        batch.append(Transaction.begin)
        if let scope { batch.append(scope) }
        if let check { batch.append(check.statement) }
        batch.append(contentsOf: statements)
        return batch
    }

    /// Remembers the first failure: the transaction will not commit after it.
    nonisolated(nonsending) private func recordingFailure<Value>(_ body: nonisolated(nonsending) () async throws -> Value) async throws -> Value {
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
    nonisolated(nonsending) func commit() async throws {
        let (began, failure) = finish()
        guard began else { return }
        if let failure {
            await rollbackSent()
            throw failure
        }
        _ = try await connection.run(Transaction.commitAlone)
    }

    nonisolated(nonsending) func rollback() async {
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
    nonisolated(nonsending) private func rollbackSent() async {
        _ = try? await connection.run(Transaction.rollbackAlone)
    }

    static let begin = Statement("BEGIN")
    static let commit = Statement("COMMIT")
    static let rollback = Statement("ROLLBACK")
    /// Batches of one whose result nobody reads, built once rather than per transaction.
    static let commitAlone = Batch.many([commit], keeping: 0..<0)
    static let rollbackAlone = Batch.many([rollback], keeping: 0..<0)
}
