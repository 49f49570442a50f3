import CLibPQ
import MusterCore
import Synchronization

/// One pooled PostgreSQL connection: the libpq handle (driven by an
/// ``EventLoop``) plus what the pool needs to decide whether to reuse it.
///
/// Statements go to the loop thread as work items; the caller's task waits on
/// a continuation, so no libpq call ever blocks a cooperative thread.
final class Connection: Sendable {
    private static let nextID = Atomic<UInt64>(1)

    /// Unique per process; the loop keys its state and epoll events by it (file
    /// descriptors are reused, ids are not).
    let id: UInt64
    let handle: PGHandle
    let loop: EventLoop
    /// When the pool stops reusing it (age, with jitter so connections opened
    /// together do not all reconnect at once).
    let retireAt: ContinuousClock.Instant
    private let broken = Atomic<Bool>(false)
    private let retirementRequested = Atomic<Bool>(false)
    private let transactionState = Atomic<UInt8>(UInt8(PQTRANS_IDLE.rawValue))
    /// Agencies whose schemas this backend has touched (each costs it relcache).
    private let agencies = Mutex<Set<AgencyID>>([])

    init(handle: PGHandle, loop: EventLoop, maxAge: Duration) {
        id = Connection.nextID.add(1, ordering: .relaxed).oldValue
        self.handle = handle
        self.loop = loop
        retireAt = .now + maxAge * Double.random(in: 0.85...1.0)
    }

    /// Sends `statements` in one pipeline (one round trip) and returns their results.
    func run(_ statements: [Statement]) async throws -> BatchResult {
        try await withCheckedThrowingContinuation { continuation in
            submit(.batch(statements, continuation))
        }
    }

    /// Runs a multi-statement SQL script over the simple query protocol.
    func runScript(_ text: String) async throws {
        try await withCheckedThrowingContinuation { continuation in
            submit(.script(text, continuation))
        }
    }

    /// Queues work; work on one connection runs in submission order.
    func submit(_ work: ConnectionWork) {
        loop.submit(.work(self, work))
    }

    var isBroken: Bool { broken.load(ordering: .acquiring) }
    func markBroken() { broken.store(true, ordering: .releasing) }

    /// Asks the pool to close it at its next release (e.g. too many prepared statements).
    func requestRetirement() { retirementRequested.store(true, ordering: .releasing) }
    var isRetirementRequested: Bool { retirementRequested.load(ordering: .acquiring) }

    /// Whether the session is outside any transaction, as of the last finished work.
    var isIdleSession: Bool { transactionState.load(ordering: .acquiring) == UInt8(PQTRANS_IDLE.rawValue) }
    func recordTransactionStatus(_ status: PGTransactionStatusType) {
        transactionState.store(UInt8(status.rawValue), ordering: .releasing)
    }

    /// Notes that a transaction is scoped to `agency`; returns how many agencies this connection has touched.
    @discardableResult
    func touch(_ agency: AgencyID) -> Int {
        agencies.withLock { touched in
            touched.insert(agency)
            return touched.count
        }
    }

    var agenciesTouched: Int { agencies.withLock { $0.count } }
}

/// What a connection's loop runs, in order.
enum ConnectionWork: Sendable {
    /// Statements pipelined in one round trip, ended by one `Sync`.
    case batch([Statement], CheckedContinuation<BatchResult, Error>)
    /// A multi-statement script (migrations), over the simple query protocol.
    case script(String, CheckedContinuation<Void, Error>)
    /// A libpq call that needs the handle but no round trip (e.g. password
    /// hashing); called with `nil` if the connection is gone.
    case call(@Sendable (PGHandle?) -> Void)
}

/// The results of a batch, one per statement, in order.
struct BatchResult: Sendable {
    let results: [ResultHandle]
}
