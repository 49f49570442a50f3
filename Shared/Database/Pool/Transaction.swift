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
        let statement = Statement(sql)
        do {
            let result = try await withCheckedThrowingContinuation { continuation in
                // Taking the prelude and queueing happen under one lock, so the
                // statement that carries BEGIN is always the first one sent.
                let submitted = state.withLock { state in
                    guard !state.finished else { return false }
                    let statements = state.prelude + [statement]
                    state.began = state.began || !state.prelude.isEmpty
                    state.prelude = []
                    connection.submit(.batch(statements, continuation))
                    return true
                }
                if !submitted { continuation.resume(throwing: PoolError.transactionFinished) }
            }
            return Rows(result.results[result.results.count - 1])
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
    private static let commit = Statement("COMMIT")
    private static let rollback = Statement("ROLLBACK")
}
