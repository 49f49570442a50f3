import MusterCore
import Synchronization

/// Who holds which connection: idle connections, callers waiting with their
/// deadlines, opens in progress. Every decision is taken under one lock;
/// continuations are resumed and connections closed after it is released.
final class Leases: Sendable {
    private struct Waiter {
        let id: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Connection, Error>
    }

    private struct State {
        /// Most recently used last, so that a busy pool reuses warm connections.
        var idle: [Connection] = []
        var leased = 0
        var opening = 0
        /// First come, first served; all share one timeout, so deadlines ascend.
        var waiters: [Waiter] = []
        var reaperRunning = false
        var closed = false
        var drained: [CheckedContinuation<Void, Never>] = []
        var totalOpened = 0
        var acquireTimeouts = 0

        var count: Int { idle.count + leased + opening }
    }

    private let state = Mutex(State())
    private let nextWaiterID = Atomic<Int>(0)
    private let connector: Connector
    private let maxConnections: Int
    private let acquireTimeout: Duration
    private let maxAgenciesPerConnection: Int
    private let logger: Logger

    init(connector: Connector, configuration: DatabasePool.Configuration, logger: Logger) {
        self.connector = connector
        maxConnections = configuration.maxConnections
        acquireTimeout = configuration.acquireTimeout
        maxAgenciesPerConnection = configuration.maxAgenciesPerConnection
        self.logger = logger
    }

    /// An idle connection for the caller's exclusive use until
    /// ``release(_:)``, or `nil` if none is idle (then ``acquire()`` waits for
    /// one). Synchronous, so that the usual case costs no suspension point.
    func acquireIdle() throws(PoolError) -> Connection? {
        var stale: [Connection] = []
        let loop = connector.loops.current
        let ready = try state.withLock { state throws(PoolError) in
            guard !state.closed else { throw .shutDown }
            return takeIdle(&state, stale: &stale, preferring: loop)
        }
        stale.forEach(close)
        return ready
    }

    /// A connection for the caller's exclusive use until ``release(_:)``.
    nonisolated(nonsending) func acquire() async throws -> Connection {
        if let ready = try acquireIdle() { return ready }
        let id = nextWaiterID.add(1, ordering: .relaxed).oldValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                admit(continuation, id: id)
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex(where: { $0.id == id }).map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Takes the connection back: reused if healthy, outside any transaction,
    /// young enough and not over its agency budget; closed otherwise.
    func release(_ connection: Connection) {
        let reusable = isReusable(connection)
        var handoff: CheckedContinuation<Connection, Error>?
        var openFor: CheckedContinuation<Connection, Error>?
        var drained: [CheckedContinuation<Void, Never>] = []
        let kept = state.withLock { state -> Bool in
            state.leased -= 1
            if state.closed {
                drained = takeDrained(&state)
                return false
            }
            if reusable, !state.waiters.isEmpty {
                state.leased += 1
                handoff = state.waiters.removeFirst().continuation
            } else if reusable {
                state.idle.append(connection)
            } else if !state.waiters.isEmpty {
                state.opening += 1
                openFor = state.waiters.removeFirst().continuation
            }
            return reusable
        }
        if !kept { close(connection) }
        handoff?.resume(returning: connection)
        if let openFor { open(for: openFor) }
        drained.forEach { $0.resume() }
    }

    /// Fails waiters, closes idle connections, and returns once every leased
    /// connection has come back and been closed.
    func shutdown() async {
        let (waiters, idle) = state.withLock { state in
            state.closed = true
            defer {
                state.waiters = []
                state.idle = []
            }
            return (state.waiters, state.idle)
        }
        waiters.forEach { $0.continuation.resume(throwing: PoolError.shutDown) }
        idle.forEach(close)
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.count > 0 { state.drained.append(continuation) }
                return state.count == 0
            }
            if done { continuation.resume() }
        }
    }

    func statistics(statementsSent: Int, roundTrips: Int) -> PoolStatistics {
        state.withLock { state in
            PoolStatistics(inUse: state.leased, idle: state.idle.count, opening: state.opening,
                           waiters: state.waiters.count, totalOpened: state.totalOpened,
                           acquireTimeouts: state.acquireTimeouts, statementsSent: statementsSent,
                           roundTrips: roundTrips)
        }
    }

    // MARK: Under the lock

    /// The most recently used reusable connection, one of `loop`'s if there
    /// is one (its results then resume the caller without a thread hop).
    private func takeIdle(_ state: inout State, stale: inout [Connection], preferring loop: EventLoop? = nil) -> Connection? {
        if let loop, let index = state.idle.lastIndex(where: { $0.loop === loop }) {
            let connection = state.idle.remove(at: index)
            if isReusable(connection) {
                state.leased += 1
                return connection
            }
            stale.append(connection)
        }
        while let connection = state.idle.popLast() {
            if isReusable(connection) {
                state.leased += 1
                return connection
            }
            stale.append(connection)
        }
        return nil
    }

    private func takeDrained(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        guard state.count == 0 else { return [] }
        defer { state.drained = [] }
        return state.drained
    }

    // MARK: Slow path

    /// Serves a caller that found no idle connection: one that became idle
    /// meanwhile, a new one if below the limit, or a place in the queue.
    private func admit(_ continuation: CheckedContinuation<Connection, Error>, id: Int) {
        enum Step { case ready(Connection), open, wait(startReaper: Bool), closed }
        var stale: [Connection] = []
        let step = state.withLock { state -> Step in
            guard !state.closed else { return .closed }
            if let connection = takeIdle(&state, stale: &stale) { return .ready(connection) }
            if state.count < maxConnections {
                state.opening += 1
                return .open
            }
            state.waiters.append(Waiter(id: id, deadline: .now + acquireTimeout, continuation: continuation))
            defer { state.reaperRunning = true }
            return .wait(startReaper: !state.reaperRunning)
        }
        stale.forEach(close)
        switch step {
        case .ready(let connection): continuation.resume(returning: connection)
        case .open: open(for: continuation)
        case .wait(let startReaper): if startReaper { Task { await reapExpiredWaiters() } }
        case .closed: continuation.resume(throwing: PoolError.shutDown)
        }
    }

    /// Opens a connection for one caller, whose slot is already counted in `opening`.
    private func open(for continuation: CheckedContinuation<Connection, Error>) {
        connector.open { [self] result in
            var next: CheckedContinuation<Connection, Error>?
            var drained: [CheckedContinuation<Void, Never>] = []
            let outcome = state.withLock { state -> Result<Connection, PoolError> in
                state.opening -= 1
                switch result {
                case .success(let connection) where !state.closed:
                    state.leased += 1
                    state.totalOpened += 1
                    return .success(connection)
                case .success:
                    drained = takeDrained(&state)
                    return .failure(.shutDown)
                case .failure(let error):
                    // The slot is free again: let the next waiter try for itself
                    // (during an outage, each fails fast instead of timing out).
                    if !state.closed, !state.waiters.isEmpty {
                        state.opening += 1
                        next = state.waiters.removeFirst().continuation
                    }
                    drained = takeDrained(&state)
                    return .failure(error)
                }
            }
            if case .success(let connection) = result, case .failure = outcome { close(connection) }
            if case .failure(let error) = result { logger.warning("database connection failed", ["error": "\(error)"]) }
            continuation.resume(with: outcome.mapError { $0 })
            if let next { open(for: next) }
            drained.forEach { $0.resume() }
        }
    }

    /// Times out waiters; runs while any are queued.
    private func reapExpiredWaiters() async {
        while true {
            let (expired, next) = state.withLock { state -> ([Waiter], ContinuousClock.Instant?) in
                let now = ContinuousClock.now
                let count = state.waiters.prefix(while: { $0.deadline <= now }).count
                let expired = Array(state.waiters.prefix(count))
                state.waiters.removeFirst(count)
                state.acquireTimeouts += count
                guard let first = state.waiters.first else {
                    state.reaperRunning = false
                    return (expired, nil)
                }
                return (expired, first.deadline)
            }
            for waiter in expired {
                waiter.continuation.resume(throwing: PoolError.acquireTimeout(waited: acquireTimeout, maxConnections: maxConnections))
            }
            guard let next else { return }
            try? await Task.sleep(until: next, clock: .continuous)
        }
    }

    // MARK: Connection health

    private func isReusable(_ connection: Connection) -> Bool {
        !connection.health.isBroken && connection.health.isIdleSession && !connection.health.isRetirementRequested
            && !connection.isPastRetirement
            && connection.agenciesTouched < maxAgenciesPerConnection
    }

    private func close(_ connection: Connection) {
        if connection.health.isBroken { logger.warning("database connection lost; the next caller gets a new one") }
        connection.close()
    }
}
