import CLibPQ
import Synchronization

/// What one event loop's connections have sent, for ``PoolStatistics``.
/// One per loop rather than per pool: every query counts, and loops sending
/// at once would otherwise fight over one cache line.
final class WireCounters: Sendable {
    /// Each pipelined statement and each script counts one.
    let statements = Atomic<Int>(0)
    /// Each batch (one `Sync`) and each script counts one.
    let roundTrips = Atomic<Int>(0)

    /// Wrapping adds compile to one `lock xadd`; checked ones to a compare-and-swap loop.
    func count(statements: Int) {
        self.statements.wrappingAdd(statements, ordering: .relaxed)
        roundTrips.wrappingAdd(1, ordering: .relaxed)
    }
}

/// What the pool reads about a connection without taking its lock.
final class ConnectionHealth: Sendable {
    private let broken = Atomic<Bool>(false)
    private let retirementRequested = Atomic<Bool>(false)
    private let transactionStatus = Atomic<UInt32>(PQTRANS_IDLE.rawValue)

    var isBroken: Bool { broken.load(ordering: .acquiring) }
    func markBroken() { broken.store(true, ordering: .releasing) }

    /// Close at the next release (e.g. too many prepared statements).
    var isRetirementRequested: Bool { retirementRequested.load(ordering: .acquiring) }
    func requestRetirement() { retirementRequested.store(true, ordering: .releasing) }

    /// Outside any transaction, as of the last finished work.
    var isIdleSession: Bool { transactionStatus.load(ordering: .acquiring) == PQTRANS_IDLE.rawValue }
    func recordTransactionStatus(_ status: PGTransactionStatusType) {
        transactionStatus.store(status.rawValue, ordering: .releasing)
    }
}
