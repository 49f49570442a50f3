import CCurl
import Synchronization

/// Work handed to the transfer thread from any task, and the thread's
/// lifecycle: commands queue under a lock and wake the thread from
/// `curl_multi_poll`.
final class CurlInbox: Sendable {
    enum Command: Sendable {
        case start(UInt64, CurlJob, ResponseDelivery)
        case cancel(UInt64)
        case resume(UInt64)
    }

    private struct State {
        var commands: [Command] = []
        var isRunning = true
        /// A wake-up is already on its way: the thread will drain the queue anyway.
        var wakeupPending = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let multi: CurlMultiPointer
    private let state = Mutex(State())

    init(multi: CurlMultiPointer) {
        self.multi = multi
    }

    /// Queues `command`; returns `false` once the thread has been told to stop.
    func post(_ command: Command) -> Bool {
        state.withLock { state in
            guard state.isRunning else { return false }
            state.commands.append(command)
            wakeThread(&state)
            return true
        }
    }

    /// Tells the thread to stop; it fails what is in flight and exits.
    func requestStop() {
        state.withLock { state in
            guard state.isRunning else { return }
            state.isRunning = false
            wakeThread(&state)
        }
    }

    func waitForExit() async {
        await withCheckedContinuation { continuation in
            let exited = state.withLock { state in
                if !state.hasExited { state.exitWaiters.append(continuation) }
                return state.hasExited
            }
            if exited { continuation.resume() }
        }
    }

    // MARK: Transfer-thread side

    /// The queued commands, and whether the thread must stop after them.
    func drain() -> (commands: [Command], stop: Bool) {
        state.withLock { state in
            state.wakeupPending = false
            let commands = state.commands
            state.commands = []
            return (commands, !state.isRunning)
        }
    }

    /// Called last by the thread, after it freed the multi handle.
    func markExited() {
        let waiters = state.withLock { state in
            state.hasExited = true
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func wakeThread(_ state: inout State) {
        guard !state.wakeupPending else { return }
        state.wakeupPending = true
        _ = curl_multi_wakeup(multi.raw)
    }
}
