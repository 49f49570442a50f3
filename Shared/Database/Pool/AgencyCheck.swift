import MusterCore
import Synchronization

/// A condition that a task's database work in one agency depends on (Identity:
/// the caller's session is live), sent in the same round trip as the first
/// statement of the task's first transaction in that agency instead of in a
/// transaction of its own. Nothing the task sends counts before it holds: its
/// statements run in that transaction, which rolls back when the condition is
/// false; work outside that agency's transactions runs the check alone first;
/// a task that touched no database runs it before it returns.
///
/// Created by ``DatabasePool/checking(_:inAgency:otherwise:_:)``; it rides in a
/// task-local value, so stores and routes need not pass it on.
///
/// ```swift
/// try await pool.checking("SELECT EXISTS (SELECT 1 FROM sessions WHERE id = \(id) AND revoked_at IS NULL)",
///                         inAgency: agency, otherwise: HTTPError.unauthorized()) {
///     try await pool.withAgency(agency) { tx in try await tx.query("SELECT …") }   // one round trip, check included
/// }
/// ```
final class AgencyCheck: Sendable {
    @TaskLocal static var current: AgencyCheck?

    let agency: AgencyID
    /// Answers one row whose first column is a boolean.
    let statement: Statement
    let failure: any Error
    private let held = Atomic<Bool>(false)

    init(_ condition: SQL, agency: AgencyID, failure: any Error) {
        self.agency = agency
        statement = Statement(condition)
        self.failure = failure
    }

    /// Whether a transaction of `agency` opened now must carry the check
    /// (one that carries it and is still waiting for its answer does not stop
    /// a concurrent one from carrying it too: it counts for neither until it held).
    func isPending(for agency: AgencyID?) -> Bool {
        agency == self.agency && !held.load(ordering: .acquiring)
    }

    var isPending: Bool { !held.load(ordering: .acquiring) }

    /// Reads the check's answer: throws ``failure`` unless it is true.
    func verify(_ result: Rows) throws {
        guard let row = result.first, try row.decode(column: 0, as: Bool.self) else { throw failure }
        held.store(true, ordering: .releasing)
    }
}
