import CSystem
import Foundation
import Synchronization

/// One thread that drives a pool's connections with non-blocking libpq and epoll.
///
/// Tasks hand work over through a locked inbox and wait on continuations; the
/// loop sends, flushes and reads, and resumes them when results are complete.
/// Under load one `epoll_wait` serves many connections at once, which keeps
/// the per-query cost close to `pgbench`'s own event loop.
final class EventLoop: Sendable {
    enum Command: Sendable {
        case register(Connection)
        case work(Connection, ConnectionWork)
        case close(Connection)
        case stop
    }

    private struct Inbox {
        var commands: [Command] = []
        /// The loop is (about to be) blocked in `epoll_wait`: a submitter must wake it.
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
    private let inbox = Mutex(Inbox())
    private let exit = Mutex(Exit())
    private let usesPreparedStatements: Bool
    private let maxPreparedStatements: Int
    /// Statements sent since start (each pipelined statement and each script counts one).
    let statementsSent = Atomic<Int>(0)

    init(name: String, usesPreparedStatements: Bool, maxPreparedStatements: Int) throws {
        self.usesPreparedStatements = usesPreparedStatements
        self.maxPreparedStatements = maxPreparedStatements
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard epollFD >= 0, wakeFD >= 0 else {
            throw PoolError.invalidConfiguration(reason: "cannot create the event loop: \(String(cString: strerror(errno)))")
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: EventLoop.wakeID))
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func submit(_ command: Command) {
        let mustWake = inbox.withLock { inbox in
            inbox.commands.append(command)
            defer { inbox.sleeping = false }
            return inbox.sleeping
        }
        if mustWake {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    /// Closes every connection and ends the thread; returns once it has ended.
    func stop() async {
        submit(.stop)
        await withCheckedContinuation { continuation in
            let done = exit.withLock { exit in
                if !exit.done { exit.waiters.append(continuation) }
                return exit.done
            }
            if done { continuation.resume() }
        }
    }

    private func run() {
        var drivers: [UInt64: ConnectionDriver] = [:]
        var commands: [Command] = []
        var events = [epoll_event](repeating: epoll_event(), count: 128)
        var running = true
        while running {
            inbox.withLock { inbox in
                if inbox.commands.isEmpty { inbox.sleeping = true } else { swap(&commands, &inbox.commands) }
            }
            let idle = commands.isEmpty
            for command in commands {
                running = handle(command, drivers: &drivers) && running
            }
            commands.removeAll(keepingCapacity: true)
            guard running else { break }
            let count = epoll_wait(epollFD, &events, Int32(events.count), idle ? -1 : 0)
            if idle { inbox.withLock { $0.sleeping = false } }
            for index in 0..<max(0, Int(count)) {
                let id = events[index].data.u64
                if id == EventLoop.wakeID {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else {
                    drivers[id]?.handle(events: events[index].events)
                }
            }
        }
        for driver in drivers.values { driver.close() }
        close(epollFD)
        close(wakeFD)
        let waiters = exit.withLock { exit in
            exit.done = true
            defer { exit.waiters = [] }
            return exit.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns `false` for `.stop`.
    private func handle(_ command: Command, drivers: inout [UInt64: ConnectionDriver]) -> Bool {
        switch command {
        case .register(let connection):
            drivers[connection.id] = ConnectionDriver(connection: connection, epollFD: epollFD, loop: self,
                                                      usesPreparedStatements: usesPreparedStatements,
                                                      maxPreparedStatements: maxPreparedStatements)
        case .work(let connection, let work):
            if let driver = drivers[connection.id] {
                driver.enqueue(work)
            } else {
                ConnectionDriver.fail(work, with: PoolError.connectionLost(reason: "the connection is closed"))
            }
        case .close(let connection):
            drivers.removeValue(forKey: connection.id)?.close()
        case .stop:
            return false
        }
        return true
    }
}
