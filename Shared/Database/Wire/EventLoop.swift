import CSystem
import Foundation
import Synchronization

/// One thread that waits, with epoll, for any of a pool's connections to
/// become readable (or writable after a partial send), and lets that
/// connection read its results; it also runs the jobs of tasks that prefer
/// it as their executor.
///
/// Under load one `epoll_wait` serves many connections at once. Sending
/// happens on the callers' threads (non-blocking), so a query wakes this
/// thread at most once.
final class EventLoop: Sendable {
    /// Tasks that prefer this loop as their executor (see ``DatabasePool/executor``).
    private struct Jobs {
        var queue: [UnownedJob] = []
        /// The loop is (about to be) blocked in `epoll_wait`: an enqueuer must wake it.
        var sleeping = false
    }

    private struct Exit {
        var done = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The event data of the wake-up `eventfd` (connection ids start at 1).
    private static let wakeID: UInt64 = 0

    private let epollFD: Int32
    private let wakeFD: Int32
    private let connections = Mutex<[UInt64: Connection]>([:])
    private let stopping = Atomic<Bool>(false)
    private let jobs = Mutex(Jobs())
    private let exit = Mutex(Exit())
    /// The loop's `pthread_t`, set when its thread starts.
    private let thread = Atomic<UInt>(0)
    /// What this loop's connections have sent.
    let counters = WireCounters()
    /// Its place in its ``EventLoopGroup``.
    let index: Int

    init(name: String, index: Int) throws(PoolError) {
        self.index = index
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: EventLoop.wakeID))
        guard epollFD >= 0, wakeFD >= 0, epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
            throw .invalidConfiguration(reason: "cannot create the event loop: \(String(cString: strerror(errno)))")
        }
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// The descriptors close only here, when nothing can write to them any
    /// more: a late `wake()` must never hit a reused descriptor number (it
    /// would write into someone else's socket).
    deinit {
        close(epollFD)
        close(wakeFD)
    }

    func register(_ connection: Connection) {
        connections.withLock { $0[connection.id] = connection }
    }

    func unregister(_ id: UInt64) {
        connections.withLock { $0[id] = nil }
    }

    var connectionCount: Int { connections.withLock { $0.count } }

    var isCurrentThread: Bool { thread.load(ordering: .relaxed) == pthread_self() }

    /// Watches `socket` for `events` (see ``SocketWatch``).
    func watch(socket: Int32, id: UInt64, events: UInt32, adding: Bool) -> Bool {
        var event = epoll_event(events: events, data: epoll_data_t(u64: id))
        return epoll_ctl(epollFD, adding ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, socket, &event) == 0
    }

    func unwatch(socket: Int32) {
        epoll_ctl(epollFD, EPOLL_CTL_DEL, socket, nil)
    }

    /// Asks the thread to close every connection and end, without waiting.
    func requestStop() {
        stopping.store(true, ordering: .releasing)
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Closes every connection and ends the thread; returns once it has ended.
    func stop() async {
        requestStop()
        await withCheckedContinuation { continuation in
            let done = exit.withLock { exit in
                if !exit.done { exit.waiters.append(continuation) }
                return exit.done
            }
            if done { continuation.resume() }
        }
    }

    private func run() {
        thread.store(pthread_self(), ordering: .relaxed)
        var poller = Poller()
        var runnable: [UnownedJob] = []
        var ranJobs = false
        while !stopping.load(ordering: .acquiring) {
            jobs.withLock { jobs in
                if jobs.queue.isEmpty { jobs.sleeping = true } else { swap(&runnable, &jobs.queue) }
            }
            if runnable.isEmpty {
                poll(&poller, timeout: -1)
                ranJobs = false
            } else {
                // Jobs that keep making jobs must not starve the sockets: between
                // two batches of jobs, look at the sockets without waiting.
                if ranJobs { poll(&poller, timeout: 0) }
                for job in runnable { job.runSynchronously(on: asUnownedTaskExecutor()) }
                runnable.removeAll(keepingCapacity: true)
                ranJobs = true
            }
        }
        for connection in connections.withLock({ Array($0.values) }) { connection.close() }
        let waiters = exit.withLock { exit in
            exit.done = true
            defer { exit.waiters = [] }
            return exit.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// What one `poll` reads, kept from call to call so that polling allocates nothing.
    private struct Poller {
        var events = [epoll_event](repeating: epoll_event(), count: 128)
        var ready: [(connection: Connection, flags: UInt32)] = []
    }

    /// Waits up to `timeout` ms (-1: until something happens) and lets each ready connection work.
    private func poll(_ poller: inout Poller, timeout: Int32) {
        let count = max(0, Int(epoll_wait(epollFD, &poller.events, Int32(poller.events.count), timeout)))
        // Awake again: continuations resumed below enqueue their jobs without writing to the eventfd.
        if timeout != 0 { jobs.withLock { $0.sleeping = false } }
        // One lock for the whole batch; a connection closed meanwhile is simply absent.
        connections.withLock { map in
            for event in poller.events.prefix(count) where event.data.u64 != EventLoop.wakeID {
                if let connection = map[event.data.u64] { poller.ready.append((connection, event.events)) }
            }
        }
        if poller.events.prefix(count).contains(where: { $0.data.u64 == EventLoop.wakeID }) {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
        }
        for (connection, flags) in poller.ready { connection.handle(events: flags) }
        poller.ready.removeAll(keepingCapacity: true)
    }
}

/// Tasks that prefer this executor run on the loop thread, so the
/// continuation of a query resumes where its result was read: no wake-up of
/// another thread per query. Jobs must not block (they share the thread with
/// every connection of the pool).
extension EventLoop: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let mustWake = jobs.withLock { jobs in
            jobs.queue.append(unowned)
            defer { jobs.sleeping = false }
            return jobs.sleeping
        }
        if mustWake { wake() }
    }
}
