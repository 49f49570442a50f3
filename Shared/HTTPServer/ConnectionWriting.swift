import CSystem
import Glibc
import MusterHTTP

/// Which timeout a connection is currently under.
enum DeadlineKind {
    /// A request head is due (from connecting, or from its first byte).
    case header
    case body
    /// Waiting for the next request on a kept-alive connection.
    case idle
    /// The client is not reading what we send.
    case send
    case linger
}

extension Connection {
    /// Writes whatever responses are ready, then brings epoll interest and the
    /// deadline up to date. Called for every connection an event or message touched.
    func service(_ context: LoopContext) {
        guard closing != .now else { return }
        startHandlers(context)
        var progressed = false
        while true {
            if closing == .open, responses.write(into: &output, sent: outputSent, date: context.date.value) {
                closing = .afterFlush
            }
            progressed = flush() || progressed
            guard closing == .open, outputSent == output.count, responses.frontHasPendingChunk else { break }
        }
        if readSuspended, closing == .open, hasRoom { readable(context) }
        if closing == .afterFlush, outputSent == output.count {
            transport.shutdownWrite(id.fd)
            closing = readEnded ? .now : .lingering
            // What arrived while the last answer went out was not read (edge-triggered: no second notice).
            if closing == .lingering { readable(context) }
        }
        guard closing != .now else { return }
        settle(context, wroteData: progressed)
    }

    /// Sends buffered output until done or blocked; `true` when bytes went out.
    private func flush() -> Bool {
        var progressed = false
        writeBlocked = .no
        while outputSent < output.count {
            let result = output.withUnsafeBytes { transport.send(id.fd, UnsafeRawBufferPointer(rebasing: $0[outputSent...])) }
            switch result {
            case .transferred(let count):
                outputSent += count
                progressed = true
            case .wouldBlock(let needsWritable):
                writeBlocked = needsWritable ? .onWritable : .onReadable
                return progressed
            case .endOfStream, .failed:
                closing = .now
                return progressed
            }
        }
        // Keep a normal-sized buffer for the next response; let a large one go.
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputSent = 0
        return progressed
    }

    private func settle(_ context: LoopContext, wroteData: Bool) {
        var reading = closing == .lingering
        if case .stopped = phase {} else {
            reading = reading || (closing == .open && !readEnded && hasRoom)
        }
        var events = edgeTrigger
        if reading || writeBlocked == .onReadable { events |= Epoll.readable }
        if writeBlocked == .onWritable || readBlocked == .onWritable { events |= Epoll.writable }
        if events != registeredEvents {
            Epoll.modify(context.loop.epollFD, id.fd, events: events, data: id.packed)
            registeredEvents = events
        }
        updateDeadline(context, refresh: wroteData && deadlineKind == .send)
    }

    private var desiredDeadline: DeadlineKind? {
        if closing == .lingering { return .linger }
        if outputSent < output.count { return .send }
        if case .body = phase { return .body }
        if !responses.isEmpty { return nil }
        if case .stopped = phase { return nil }
        return !servedAny || inputStart < input.count ? .header : .idle
    }

    /// Starts the timeout of a new kind; the same kind keeps its deadline (a head
    /// trickling in does not earn more time), except a send that made progress.
    private func updateDeadline(_ context: LoopContext, refresh: Bool) {
        let kind = desiredDeadline
        guard kind != deadlineKind || refresh else { return }
        deadlineKind = kind
        deadlineAt = kind.map { context.now + duration(of: $0, context) }
        guard let time = deadlineAt, scheduledAt.map({ time < $0 }) ?? true else { return }
        scheduledAt = time
        context.deadlines.push(DeadlineHeap.Entry(time: time, connection: id))
    }

    private func duration(of kind: DeadlineKind, _ context: LoopContext) -> Int64 {
        switch kind {
        case .header: context.headerTimeout
        case .body: context.bodyTimeout
        case .idle, .send: context.idleTimeout
        case .linger: context.lingerTimeout
        }
    }

    /// Called when this connection's heap entry comes due; `true` when its deadline has passed.
    func deadlineDue(_ entry: DeadlineHeap.Entry, _ context: LoopContext) -> Bool {
        guard scheduledAt == entry.time else { return false }
        scheduledAt = nil
        guard let time = deadlineAt else { return false }
        if time <= context.now { return true }
        scheduledAt = time
        context.deadlines.push(DeadlineHeap.Entry(time: time, connection: id))
        return false
    }

    /// Closes the socket and fails whatever still waits on this connection.
    func close() {
        closing = .now
        responses.failAll()
        Glibc.close(id.fd)
    }
}
