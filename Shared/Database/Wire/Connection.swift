import MusterCore
import Synchronization

/// One pooled PostgreSQL connection: the libpq state machine behind a lock,
/// plus what the pool needs to decide whether to reuse it.
///
/// A caller's task sends its statements itself (non-blocking calls, under the
/// lock) and waits on a continuation; the loop thread reads the results when
/// the socket is readable and resumes it. No libpq call ever blocks.
final class Connection: Sendable {
    private static let nextID = Atomic<UInt64>(1)

    /// Unique per process; epoll events carry it (file descriptors get reused, ids do not).
    let id: UInt64
    /// When the pool stops reusing it (age, with jitter so that connections
    /// opened together do not all reconnect at once).
    let retireAt: ContinuousClock.Instant
    let health = ConnectionHealth()
    /// The loop that reads its results.
    let loop: EventLoop
    private let machine: Mutex<ConnectionMachine>
    /// Agencies whose schemas this backend has touched (each costs it relcache).
    private let agencies = Mutex<Set<AgencyID>>([])

    /// Takes over an open handle and starts watching its socket.
    init(handle: PGHandle, loop: EventLoop, counters: WireCounters, maxAge: Duration,
         settings: ConnectionMachine.Settings) throws(PoolError) {
        let id = Connection.nextID.add(1, ordering: .relaxed).oldValue
        self.id = id
        self.loop = loop
        retireAt = .now + maxAge * Double.random(in: 0.85...1.0)
        machine = Mutex(ConnectionMachine(handle: handle, id: id, loop: loop, counters: counters, health: health,
                                          settings: settings))
        loop.register(self)
        do {
            try machine.withLock { machine throws(PoolError) in try machine.register() }
        } catch {
            loop.unregister(id)
            throw error
        }
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

    /// Sends now, or after the work already in flight; work runs in submission order.
    func submit(_ work: ConnectionWork) {
        withMachine { $0.submit(work, completions: &$1) }
    }

    /// Called by the loop thread when the socket is ready.
    func handle(events: UInt32) {
        withMachine { $0.handle(events: events, completions: &$1) }
    }

    /// Closes the connection for good (the pool retired it, or the loop stops).
    func close() {
        withMachine { $0.close(completions: &$1) }
        loop.unregister(id)
    }

    private func withMachine(_ body: (inout ConnectionMachine, inout [Completion]) -> Void) {
        var completions: [Completion] = []
        machine.withLock { body(&$0, &completions) }
        for completion in completions { completion.resume() }
    }

    /// Notes that a transaction is scoped to `agency`.
    func touch(_ agency: AgencyID) {
        agencies.withLock { _ = $0.insert(agency) }
    }

    var agenciesTouched: Int { agencies.withLock { $0.count } }
}
