import CLibPQ
import MusterCore
import MusterTime
import Synchronization

/// One pooled PostgreSQL connection: the libpq state machine behind a lock,
/// plus what the pool needs to decide whether to reuse it.
///
/// A caller's task sends its statements itself (non-blocking calls, under the
/// lock) and waits on a continuation; the loop thread reads the results when
/// the socket is readable and resumes it. No libpq call ever blocks.
///
/// The loop never waits for the lock: a caller holds it across its `send`,
/// which wakes the server and can be preempted by it, so the answer often
/// arrives before the caller lets go. The loop then pauses reads on the
/// socket and leaves the readiness to that caller, which reads its own
/// results when it unlocks and so resumes without any thread hop.
final class Connection: Sendable {
    private static let nextID = Atomic<UInt64>(1)

    /// Unique per process; epoll events carry it (file descriptors get reused, ids do not).
    let id: UInt64
    /// When the pool stops reusing it (age, with jitter so that connections
    /// opened together do not all reconnect at once), on the ``CoarseClock``.
    private let retireAt: UInt64
    let health = ConnectionHealth()
    /// The loop that reads its results.
    let loop: EventLoop
    private let watch: SocketWatch
    private let machine: Mutex<ConnectionMachine>
    /// Readiness the loop left to the holder of `machine`.
    private let deferred = Atomic<UInt32>(0)
    /// Agencies whose schemas this backend has touched (each costs it
    /// relcache), each with the statement that scopes a transaction to it,
    /// built once per connection rather than once per transaction.
    private let agencies = Mutex<[AgencyID: Statement]>([:])
    /// How many, readable without the lock at every release.
    private let agencyCount = Atomic<Int>(0)

    /// Takes over an open handle and starts watching its socket.
    init(handle: PGHandle, loop: EventLoop, maxAge: Duration,
         settings: ConnectionMachine.Settings) throws(PoolError) {
        let id = Connection.nextID.add(1, ordering: .relaxed).oldValue
        self.id = id
        self.loop = loop
        retireAt = CoarseClock.now + CoarseClock.nanoseconds(maxAge * Double.random(in: 0.85...1.0))
        watch = try SocketWatch(socket: PQsocket(handle.pointer), id: id, loop: loop)
        machine = Mutex(ConnectionMachine(handle: handle, watch: watch, counters: loop.counters, health: health, settings: settings))
        loop.register(self)
        guard watch.start() else {
            loop.unregister(id)
            watch.remove()
            throw .connectionFailed(reason: "cannot watch the connection's socket")
        }
    }

    /// Sends the batch's statements in one pipeline (one round trip) and
    /// returns the results it keeps.
    nonisolated(nonsending) func run(_ batch: Batch) async throws -> BatchResult {
        try await withUnsafeThrowingContinuation { continuation in
            submit(.batch(batch, continuation))
        }
    }

    /// Runs a multi-statement SQL script over the simple query protocol.
    nonisolated(nonsending) func runScript(_ text: String) async throws {
        try await withUnsafeThrowingContinuation { continuation in
            submit(.script(text, continuation))
        }
    }

    /// Sends now, or after the work already in flight; work runs in submission order.
    func submit(_ work: ConnectionWork) {
        withMachine { $0.submit(work, completions: &$1) }
    }

    /// Called by the loop thread when the socket is ready.
    func handle(events: UInt32) {
        var completions = Completions()
        let handled: Bool? = machine.withLockIfAvailable { machine in
            machine.handle(events: events, completions: &completions)
            return true
        }
        if handled == nil {
            watch.pauseReads()
            deferred.bitwiseOr(events, ordering: .sequentiallyConsistent)
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            // The holder may have let go before the events were left to it.
            let retried: Bool? = machine.withLockIfAvailable { machine in
                handleDeferred(&machine, &completions)
                return true
            }
            guard retried != nil else { return }
        }
        finish(completions)
    }

    /// Past its age: the pool retires it at its next release, or instead of leasing it.
    var isPastRetirement: Bool { CoarseClock.now >= retireAt }

    /// Closes the connection for good (the pool retired it, or the loop stops).
    func close() {
        withMachine { $0.close(completions: &$1) }
        loop.unregister(id)
    }

    private func withMachine(_ body: (inout ConnectionMachine, inout Completions) -> Void) {
        var completions = Completions()
        machine.withLock { body(&$0, &completions) }
        finish(completions)
    }

    /// After unlocking: handles what the loop left meanwhile (each unlock
    /// checks, so nothing stays paused), then resumes the waiters.
    private func finish(_ completions: consuming Completions) {
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        while deferred.load(ordering: .sequentiallyConsistent) != 0 {
            machine.withLock { handleDeferred(&$0, &completions) }
        }
        completions.resumeAll()
    }

    private func handleDeferred(_ machine: inout ConnectionMachine, _ completions: inout Completions) {
        let events = deferred.exchange(0, ordering: .sequentiallyConsistent)
        guard events != 0 else { return }
        machine.handle(events: events, completions: &completions)
        watch.resumeReads()
    }

    /// Notes that a transaction touches `agency`'s schema; returns the
    /// `SET LOCAL search_path` that scopes a transaction to it (never a session
    /// `SET`: the scope ends with the transaction, a reused connection carries
    /// none). Prepared like any statement: the connection serves at most
    /// `maxAgenciesPerConnection` agencies, so it holds at most that many of these.
    @discardableResult
    func touch(_ agency: AgencyID) -> Statement {
        agencies.withLock { agencies in
            if let statement = agencies[agency] { return statement }
            let statement = Statement("SET LOCAL search_path TO \(SchemaName.agency(agency))")
            agencies[agency] = statement
            agencyCount.store(agencies.count, ordering: .relaxed)
            return statement
        }
    }

    var agenciesTouched: Int { agencyCount.load(ordering: .relaxed) }
}
