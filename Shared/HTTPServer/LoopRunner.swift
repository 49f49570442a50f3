import CSystem
import Glibc
import MusterCore
import MusterHTTP
import MusterTime

/// The body of one event-loop thread: waits on epoll, accepts, reads, runs the
/// jobs and messages its mailbox collected, writes, and enforces deadlines.
/// Everything here is confined to the loop's thread; the connection table, read
/// for every event, skips the run-time exclusivity check (as in `Connection`).
final class LoopRunner {
    private static let listenerTag = UInt64.max
    private static let wakeTag = UInt64.max - 1
    private static let maxEvents = 256

    private let context: LoopContext
    private let counters: ServerCounters
    private var listener: Int32?
    private var listenerArmed = false
    /// After running out of file descriptors, accepting pauses until then.
    private var acceptPausedUntil: Int64?
    private let connectionLimit: Int
    @exclusivity(unchecked) private var connections: [Connection?] = []
    private var connectionCount = 0
    private var nextGeneration: UInt32 = 0
    private var shutdownDeadline: Int64?

    private var jobs: [UnownedJob] = []
    private var messages: [LoopMessage] = []
    private var touched: [Connection] = []

    init(context: LoopContext, listener: Int32, counters: ServerCounters, connectionLimit: Int) {
        self.context = context
        self.listener = listener
        self.counters = counters
        self.connectionLimit = connectionLimit
    }

    private var loop: EventLoop { context.loop }

    func run() {
        loop.attach(context)
        _ = Epoll.add(loop.epollFD, loop.wakeFD, events: Epoll.readable, data: Self.wakeTag)
        armListener()
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Self.maxEvents)
        defer { events.deallocate() }
        while !isFinished {
            let timeout = !context.hasDirtyConnections && loop.prepareToSleep() ? waitTimeout() : 0
            let count = epoll_wait(loop.epollFD, events, Int32(Self.maxEvents), timeout)
            loop.awake()
            context.now = MonotonicInstant.now.nanoseconds
            context.date.refresh()
            for index in 0..<max(0, Int(count)) {
                handle(events[index].events, data: events[index].data.u64)
            }
            runMailbox()
            serviceTouched()
            expireDeadlines()
        }
        finish()
    }

    // MARK: Events

    private func handle(_ events: UInt32, data: UInt64) {
        switch data {
        case Self.listenerTag:
            acceptConnections()
        case Self.wakeTag:
            loop.drainWakeups()
        default:
            let id = ConnectionID(packed: data)
            if id.isChannel {
                context.channelReady(id, events: events)
                return
            }
            guard let connection = connection(id) else { return }
            if events & Epoll.peerShutdown != 0 { connection.peerShutdown = true }
            if events & (Epoll.readable | Epoll.errorOrHangUp) != 0 || connection.readBlocked == .onWritable {
                connection.readable(context)
            }
            context.markDirty(connection)
        }
    }

    private func connection(_ id: ConnectionID) -> Connection? {
        guard id.fd >= 0, Int(id.fd) < connections.count, let connection = connections[Int(id.fd)],
              connection.id.generation == id.generation else { return nil }
        return connection
    }

    private func acceptConnections() {
        guard let listener else { return }
        for _ in 0..<64 {
            guard connectionCount < connectionLimit else {
                disarmListener()
                return
            }
            var address = SocketAddress.Storage()
            let fd = withUnsafeMutablePointer(to: &address.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listener, $0, &address.length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            guard fd >= 0 else {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if code != EAGAIN, code != EWOULDBLOCK { pauseAccepting(code) }
                return
            }
            open(fd, peer: SocketAddress.host(of: address))
        }
    }

    private func open(_ fd: Int32, peer: String) {
        if let limit = context.configuration.maxConnectionsPerAddress, !counters.admit(peer, limit: limit) {
            Glibc.close(fd)
            return
        }
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        var transport = ConnectionTransport.plain
        if let tls = context.tls {
            guard let session = TLSSession(context: tls, fd: fd) else {
                refuse(fd, peer: peer)
                return
            }
            transport = .tls(session)
        }
        nextGeneration = (nextGeneration &+ 1) & ConnectionID.generationMask
        let id = ConnectionID(fd: fd, generation: nextGeneration)
        let connection = Connection(id: id, peerAddress: peer, transport: transport)
        guard Epoll.add(loop.epollFD, fd, events: connection.registeredEvents, data: id.packed) else {
            refuse(fd, peer: peer)
            return
        }
        if connections.count <= Int(fd) {
            connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count))
        }
        connections[Int(fd)] = connection
        connectionCount += 1
        counters.connectionOpened()
        context.markDirty(connection)
    }

    /// Closes a socket that could not become a connection after being admitted.
    private func refuse(_ fd: Int32, peer: String) {
        Glibc.close(fd)
        if context.configuration.maxConnectionsPerAddress != nil { counters.release(peer) }
    }

    /// Out of descriptors or memory: stop accepting for a moment instead of spinning on the listener.
    private func pauseAccepting(_ code: Int32) {
        context.logger.error("accept failed; pausing", ["errno": String(code), "error": String(cString: strerror(code))])
        disarmListener()
        acceptPausedUntil = context.now + 100_000_000
    }

    private func armListener() {
        guard let listener, !listenerArmed else { return }
        listenerArmed = Epoll.add(loop.epollFD, listener, events: Epoll.readable, data: Self.listenerTag)
    }

    private func disarmListener() {
        guard let listener, listenerArmed else { return }
        Epoll.remove(loop.epollFD, listener)
        listenerArmed = false
    }

    // MARK: Mailbox

    /// Runs the jobs and applies the messages tasks left; a few rounds, since
    /// each can produce more, then back to epoll so sockets are not starved.
    private func runMailbox() {
        for _ in 0..<4 {
            loop.takeWork(jobs: &jobs, messages: &messages)
            guard !jobs.isEmpty || !messages.isEmpty else { return }
            for job in jobs { job.runSynchronously(on: loop.asUnownedTaskExecutor()) }
            jobs.removeAll(keepingCapacity: true)
            for message in messages { apply(message) }
            messages.removeAll(keepingCapacity: true)
        }
    }

    private func apply(_ message: LoopMessage) {
        switch message {
        case .response(let ticket, let response):
            guard let connection = connection(ticket.connection) else { return }
            connection.responses.complete(ticket.sequence, with: response)
            context.markDirty(connection)
        case .chunk(let ticket, let chunk, let continuation):
            guard let connection = connection(ticket.connection),
                  connection.responses.addChunk(ticket.sequence, chunk, continuation: continuation) else {
                continuation.resume(throwing: ConnectionClosedError())
                return
            }
            context.markDirty(connection)
        case .streamEnd(let ticket, let succeeded):
            guard let connection = connection(ticket.connection) else { return }
            connection.responses.endStream(ticket.sequence, succeeded: succeeded)
            context.markDirty(connection)
        case .shutdown(let graceDeadline):
            beginShutdown(graceDeadline: graceDeadline)
        }
    }

    // MARK: Writing, deadlines, closing

    private func serviceTouched() {
        context.takeDirty(into: &touched)
        for connection in touched {
            connection.isDirty = false
            connection.service(context)
            if connection.closing == .now { close(connection) }
        }
        touched.removeAll(keepingCapacity: true)
    }

    private func expireDeadlines() {
        while let entry = context.deadlines.popDue(now: context.now) {
            if entry.connection.isChannel {
                context.channelDeadlineDue(entry)
                continue
            }
            guard let connection = connection(entry.connection),
                  connection.deadlineDue(entry, context) else { continue }
            close(connection)
        }
        if let until = acceptPausedUntil, until <= context.now {
            acceptPausedUntil = nil
            armListener()
        }
        if let deadline = shutdownDeadline, deadline <= context.now {
            for case let connection? in connections { close(connection) }
        }
    }

    /// Milliseconds until the earliest deadline, pause or grace end; -1 (forever) when none.
    private func waitTimeout() -> Int32 {
        var next = context.deadlines.nextTime
        if let paused = acceptPausedUntil { next = min(next ?? paused, paused) }
        if let grace = shutdownDeadline { next = min(next ?? grace, grace) }
        guard let next else { return -1 }
        let milliseconds = (max(0, next - MonotonicInstant.now.nanoseconds) + 999_999) / 1_000_000
        return Int32(min(milliseconds, 60_000))
    }

    private func close(_ connection: Connection) {
        guard connections[Int(connection.id.fd)] === connection else { return }
        connections[Int(connection.id.fd)] = nil
        connection.close()
        connectionCount -= 1
        counters.connectionClosed()
        if context.configuration.maxConnectionsPerAddress != nil { counters.release(connection.peerAddress) }
        if connectionCount < connectionLimit, acceptPausedUntil == nil { armListener() }
    }

    // MARK: Shutdown

    private func beginShutdown(graceDeadline: Int64) {
        guard shutdownDeadline == nil else { return }
        shutdownDeadline = graceDeadline
        disarmListener()
        if let listener { Glibc.close(listener) }
        listener = nil
        for case let connection? in connections {
            connection.beginShutdown()
            context.markDirty(connection)
        }
    }

    private var isFinished: Bool { shutdownDeadline != nil && connectionCount == 0 }

    /// Settles what is left once the loop stops: messages that will never be
    /// applied still hold continuations that must be resumed.
    private func finish() {
        context.stopChannels()
        let messages = loop.stop()
        context.stopWorkers()
        for message in messages {
            if case .chunk(_, _, let continuation) = message { continuation.resume(throwing: ConnectionClosedError()) }
        }
    }
}
