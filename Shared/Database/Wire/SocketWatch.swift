import CSystem
import Glibc
import Synchronization

/// A connection's registration with its loop's `epoll`, on a duplicate of
/// libpq's socket that only this type closes. libpq closes its own
/// descriptor when it sees the connection fail, and the number can then be
/// reused at once by another connection of the same loop; the duplicate keeps
/// every `epoll_ctl` here aimed at the right socket. All of them happen under
/// one small lock of their own, so that the loop can pause reads without
/// taking the connection's lock (see ``Connection/handle(events:)``).
final class SocketWatch: Sendable {
    private struct State {
        /// `-1` once removed.
        var descriptor: Int32
        var writes = false
        var readsPaused = false
    }

    private let loop: EventLoop
    private let id: UInt64
    private let state: Mutex<State>

    init(socket: Int32, id: UInt64, loop: EventLoop) throws(PoolError) {
        let descriptor = socket >= 0 ? fcntl(socket, F_DUPFD_CLOEXEC, 0) : -1
        guard descriptor >= 0 else { throw .connectionFailed(reason: "cannot watch the connection's socket") }
        self.loop = loop
        self.id = id
        state = Mutex(State(descriptor: descriptor))
    }

    deinit { remove() }

    /// Starts watching readability (level-triggered, so that a server closing
    /// an idle connection is noticed at once).
    func start() -> Bool {
        state.withLock { state in
            state.descriptor >= 0 && loop.watch(socket: state.descriptor, id: id, events: Self.events(state), adding: true)
        }
    }

    /// Also watch writability, while a send is incomplete.
    func watchWrites(_ writes: Bool) {
        update { $0.writes = writes }
    }

    /// Stops reporting readability until ``resumeReads()``.
    func pauseReads() {
        update { $0.readsPaused = true }
    }

    func resumeReads() {
        update { $0.readsPaused = false }
    }

    /// Stops watching and closes the duplicate (idempotent).
    func remove() {
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            loop.unwatch(socket: state.descriptor)
            close(state.descriptor)
            state.descriptor = -1
        }
    }

    private func update(_ change: (inout State) -> Void) {
        state.withLock { state in
            let before = Self.events(state)
            change(&state)
            let after = Self.events(state)
            guard state.descriptor >= 0, after != before else { return }
            _ = loop.watch(socket: state.descriptor, id: id, events: after, adding: false)
        }
    }

    private static func events(_ state: State) -> UInt32 {
        (state.readsPaused ? 0 : EPOLLIN.rawValue | EPOLLRDHUP.rawValue) | (state.writes ? EPOLLOUT.rawValue : 0)
    }
}
