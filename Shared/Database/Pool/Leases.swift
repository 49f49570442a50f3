import MusterCore
import Synchronization

/// Who holds which connection: idle connections, callers waiting with their
/// deadlines, opens in progress. Every decision is taken under one lock;
/// continuations are resumed and connections closed after it is released.
///
/// But one: a connection given back on its own loop's thread (by a task on
/// ``DatabasePool/executor``) goes on that loop's ``Shelf``, where the
/// thread's next caller finds it, and neither touches the pool's lock; a
/// shelved connection stays counted as leased. Callers about to wait, and
/// shutdown, first announce themselves (`waiting`, `closing`), then look
/// through the shelves under the pool's lock; a thread that shelves a
/// connection checks both afterwards and, if either is set, takes it back off
/// and gives it back the usual way. Each shelf's lock orders the two sides,
/// so that a waiter never misses a shelved connection.
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
    /// One per event loop, by its index.
    private let shelves: [Shelf]
    /// Callers past the idle check of ``acquire()``: while any are, connections
    /// go back the usual way, where waiters are served first.
    private let waiting = Atomic<Int>(0)
    private let closing = Atomic<Bool>(false)
    private let nextWaiterID = Atomic<Int>(0)
    private let connector: Connector
    private let maxConnections: Int
    private let acquireTimeout: Duration
    private let maxAgenciesPerConnection: Int
    private let logger: Logger

    init(connector: Connector, configuration: DatabasePool.Configuration, logger: Logger) {
        self.connector = connector
        shelves = connector.loops.loops.map { _ in Shelf() }
        maxConnections = configuration.maxConnections
        acquireTimeout = configuration.acquireTimeout
        maxAgenciesPerConnection = configuration.maxAgenciesPerConnection
        self.logger = logger
    }

    /// An idle connection for the caller's exclusive use until
    /// ``release(_:)``, or `nil` if none is idle (then ``acquire()`` waits for
    /// one). Synchronous, so that the usual case costs no suspension point.
    func acquireIdle() throws(PoolError) -> Connection? {
        let loop = connector.loops.current
        if let loop, let shelved = takeShelved(from: loop) { return shelved }
        var stale: [Connection] = []
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
        waiting.add(1, ordering: .sequentiallyConsistent)
        defer { waiting.subtract(1, ordering: .sequentiallyConsistent) }
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
        if connection.loop.isCurrentThread, shelve(connection) { return }
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
        closing.store(true, ordering: .sequentiallyConsistent)
        let (waiters, idle) = state.withLock { state in
            state.closed = true
            let shelved = shelves.flatMap { $0.takeAll() }
            state.leased -= shelved.count
            defer {
                state.waiters = []
                state.idle = []
            }
            return (state.waiters, state.idle + shelved)
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
            let shelved = shelves.reduce(0) { $0 + $1.count }
            return PoolStatistics(inUse: state.leased - shelved, idle: state.idle.count + shelved, opening: state.opening,
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

    /// A reusable connection off any loop's shelf, for a caller that would
    /// otherwise open one or wait; its lease passes to that caller.
    private func takeAnyShelved(_ state: inout State, stale: inout [Connection]) -> Connection? {
        for shelf in shelves {
            while let connection = shelf.take() {
                if isReusable(connection) { return connection }
                state.leased -= 1
                stale.append(connection)
            }
        }
        return nil
    }

    private func takeDrained(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        guard state.count == 0 else { return [] }
        defer { state.drained = [] }
        return state.drained
    }

    // MARK: Shelves

    /// A reusable connection off `loop`'s shelf, for a caller on its thread
    /// (one no longer reusable is given back the usual way, and closed).
    private func takeShelved(from loop: EventLoop) -> Connection? {
        // Once shutting down, the usual way says so.
        guard !closing.load(ordering: .sequentiallyConsistent) else { return nil }
        while let connection = shelves[loop.index].take() {
            if isReusable(connection) { return connection }
            release(connection)
        }
        return nil
    }

    /// Shelves a reusable connection given back on its own loop's thread,
    /// unless someone waits or the pool shuts down; `false`: give it back the usual way.
    private func shelve(_ connection: Connection) -> Bool {
        guard waiting.load(ordering: .sequentiallyConsistent) == 0, !closing.load(ordering: .sequentiallyConsistent),
              isReusable(connection) else { return false }
        let shelf = shelves[connection.loop.index]
        shelf.put(connection)
        // A waiter or shutdown that announced itself meanwhile may have looked through the shelves already.
        guard waiting.load(ordering: .sequentiallyConsistent) > 0 || closing.load(ordering: .sequentiallyConsistent) else {
            return true
        }
        return !shelf.remove(connection)
    }

    // MARK: Slow path

    /// Serves a caller that found no idle connection: one that became idle
    /// meanwhile, a new one if below the limit, or a place in the queue.
    private func admit(_ continuation: CheckedContinuation<Connection, Error>, id: Int) {
        enum Step { case ready(Connection), open, wait(startReaper: Bool), closed }
        var stale: [Connection] = []
        let step = state.withLock { state -> Step in
            guard !state.closed else { return .closed }
            if let connection = takeIdle(&state, stale: &stale) ?? takeAnyShelved(&state, stale: &stale) {
                return .ready(connection)
            }
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
