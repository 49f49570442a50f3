import CSystem
import Dispatch
import Glibc
import MusterHTTP
import Synchronization

/// The thread-safe face of one event-loop thread.
///
/// It is a `TaskExecutor`: a handler task created with
/// `Task.immediate(executorPreference: loop)` starts on the loop's thread and
/// resumes there after every `await`, so a handler that never suspends costs no
/// thread hop. Other threads reach the loop only through its mailbox (jobs and
/// ``LoopMessage``s), waking it with an `eventfd` when it sleeps in `epoll_wait`.
package final class EventLoop: TaskExecutor {
    let index: Int
    let epollFD: Int32
    let wakeFD: Int32
    private let mailbox = Mutex(Mailbox())
    /// The loop's thread and its confined state, set once by the runner before the
    /// loop serves anything and never changed; `confined` hands the state out only
    /// to code running on that thread.
    private nonisolated(unsafe) var thread: pthread_t?
    private nonisolated(unsafe) var context: LoopContext?
    /// Work handed over on the loop's own thread (a handler's response, a resumed
    /// worker): it needs no lock. Touched only on that thread while the loop runs.
    private nonisolated(unsafe) var localJobs: [UnownedJob] = []
    private nonisolated(unsafe) var localMessages: [LoopMessage] = []

    private struct Mailbox {
        var jobs: [UnownedJob] = []
        var messages: [LoopMessage] = []
        /// The loop is (about to be) blocked in `epoll_wait` and needs a wake-up write.
        var sleeping = false
        var stopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    init(index: Int) throws(HTTPServerError) {
        self.index = index
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw .system("epoll_create1", errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let code = errno
            close(epollFD)
            throw .system("eventfd", code)
        }
    }

    // The descriptors live as long as this object: a task that still holds the
    // executor after the loop stopped can never write to a reused descriptor.
    deinit {
        close(wakeFD)
        close(epollFD)
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if confined != nil {
            localJobs.append(job)
            return
        }
        let accepted = mailbox.withLock { box -> Bool in
            guard !box.stopped else { return false }
            box.jobs.append(job)
            wakeIfSleeping(&box)
            return true
        }
        if !accepted { runElsewhere(job) }
    }

    /// A task that outlives its loop (a handler still awaiting after the
    /// shutdown grace) finishes on a global queue rather than never.
    private func runElsewhere(_ job: UnownedJob) {
        DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Hands a message to the loop; `false` when the loop has stopped.
    @discardableResult
    func post(_ message: LoopMessage) -> Bool {
        if confined != nil {
            localMessages.append(message)
            return true
        }
        return mailbox.withLock { box -> Bool in
            guard !box.stopped else { return false }
            box.messages.append(message)
            wakeIfSleeping(&box)
            return true
        }
    }

    /// Writes the eventfd while holding the lock, so that the write and the
    /// loop's decision to sleep cannot cross.
    private func wakeIfSleeping(_ box: inout Mailbox) {
        guard box.sleeping else { return }
        box.sleeping = false
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// The loop's confined state when called on the loop's own thread while it
    /// runs (a handler task, a channel callback); `nil` anywhere else.
    package var confined: LoopContext? {
        guard let thread, pthread_equal(thread, pthread_self()) != 0 else { return nil }
        return context
    }

    // MARK: Used by the loop's own thread

    func attach(_ context: LoopContext) {
        self.context = context
        thread = pthread_self()
    }

    /// Swaps the pending work into the loop's (empty) arrays, keeping both capacities:
    /// the mailbox's first, then what the loop's own thread handed over, so that a
    /// task's messages keep their order when it moved from another thread to the loop.
    func takeWork(jobs: inout [UnownedJob], messages: inout [LoopMessage]) {
        mailbox.withLock { box in
            swap(&jobs, &box.jobs)
            swap(&messages, &box.messages)
        }
        if !localJobs.isEmpty {
            jobs.append(contentsOf: localJobs)
            localJobs.removeAll(keepingCapacity: true)
        }
        if !localMessages.isEmpty {
            messages.append(contentsOf: localMessages)
            localMessages.removeAll(keepingCapacity: true)
        }
    }

    /// Marks the loop as sleeping unless work is waiting; `true` when it may block.
    func prepareToSleep() -> Bool {
        let localWork = !localJobs.isEmpty || !localMessages.isEmpty
        return mailbox.withLock { box in
            box.sleeping = !localWork && box.jobs.isEmpty && box.messages.isEmpty
            return box.sleeping
        }
    }

    func awake() {
        mailbox.withLock { $0.sleeping = false }
    }

    /// Empties the eventfd after a wake-up.
    func drainWakeups() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
    }

    /// Closes the mailbox: queued and later jobs run on a global queue, later
    /// messages are refused. Returns the messages still queued so the loop can settle them.
    func stop() -> [LoopMessage] {
        context = nil
        let (jobs, messages, waiters) = mailbox.withLock { box in
            box.stopped = true
            defer { box.jobs = []; box.messages = []; box.stopWaiters = [] }
            return (box.jobs, box.messages, box.stopWaiters)
        }
        for job in jobs + localJobs { runElsewhere(job) }
        for waiter in waiters { waiter.resume() }
        defer { localJobs = []; localMessages = [] }
        return messages + localMessages
    }

    /// Returns once the loop has stopped.
    func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let stopped = mailbox.withLock { box in
                if !box.stopped { box.stopWaiters.append(continuation) }
                return box.stopped
            }
            if stopped { continuation.resume() }
        }
    }
}
