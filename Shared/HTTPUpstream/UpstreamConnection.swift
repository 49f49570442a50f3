import CSystem
import Glibc
import MusterHTTP
import MusterHTTPServer

/// One keep-alive connection to an upstream instance, owned by one event loop:
/// connects without blocking, writes a request, parses the response head, then
/// hands the body over whole (small) or as a pulled stream, and goes back to its
/// loop's pool when the response ended cleanly.
///
/// `@unchecked Sendable`: every member is touched only on its loop's thread
/// (callers check `EventLoop.confined`); the conformance only lets a dropped
/// body stream send the connection back to its loop to be closed. The state
/// used on every exchange skips the run-time exclusivity check, as in `Connection`:
/// each access is a short one that calls out to nothing touching it.
final class UpstreamConnection: LoopChannel, @unchecked Sendable {
    private enum Phase {
        case connecting
        case idle
        /// A request is out; waiting for (the rest of) the response head.
        case awaitingHead
        /// A small body is being collected whole.
        case collecting(head: UpstreamResponseHead, remaining: Int)
        /// The body is being handed to a reader as it arrives.
        case streaming(UpstreamBodyDecoder)
        case closed
    }

    let endpoint: UpstreamEndpoint
    let loop: EventLoop
    private unowned let pool: UpstreamLoopPool
    private let fd: Int32
    private var id = ConnectionID(fd: -1, generation: 0)
    @exclusivity(unchecked) private var phase = Phase.connecting
    private var events: UInt32 = Epoll.writable
    /// It has completed an exchange before: a failure before any response byte is a stale keep-alive.
    private var reused = false
    private var receivedAny = false
    private var method = HTTPMethod.get
    private var timeout: Int64 = 0
    /// Told the outcome exactly once, by `deliver` or `fail`.
    private var receiver: (any UpstreamResponseReceiver)?

    @exclusivity(unchecked) private var input: [UInt8] = []
    private var inputStart = 0
    /// The request being sent; emptied, not freed, once sent.
    @exclusivity(unchecked) private var output: [UInt8] = []
    private var outputSent = 0
    /// The upstream stopped taking the request (it answered early, e.g. `413` before reading the body, and closed).
    private var sendRefused = false
    private static let keptOutputCapacity = 16 * 1024
    @exclusivity(unchecked) private var scanner = HeadScanner()
    @exclusivity(unchecked) private var body: [UInt8] = []
    /// Streaming: decoded bytes not yet taken, the reader waiting for them, how it ended.
    @exclusivity(unchecked) private var ready: [UInt8] = []
    private var reader: CheckedContinuation<[UInt8]?, any Error>?
    private var streamEnded = false
    private var streamFailure: UpstreamError?

    private init(endpoint: UpstreamEndpoint, loop: EventLoop, pool: UpstreamLoopPool, fd: Int32) {
        self.endpoint = endpoint
        self.loop = loop
        self.pool = pool
        self.fd = fd
    }

    /// Opens a non-blocking connection; completes on the loop when the socket turns writable.
    static func connect(to endpoint: UpstreamEndpoint, pool: UpstreamLoopPool,
                        _ context: LoopContext) throws(UpstreamError) -> UpstreamConnection {
        let address = endpoint.address
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw UpstreamError(.connectFailed, "socket: \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if result != 0, errno != EINPROGRESS {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw UpstreamError(.connectFailed, "connect to \(endpoint.url): \(reason)")
        }
        let connection = UpstreamConnection(endpoint: endpoint, loop: context.loop, pool: pool, fd: fd)
        guard let id = context.register(connection, fd: fd, events: Epoll.writable) else {
            Glibc.close(fd)
            throw UpstreamError(.connectFailed, "epoll refused the socket")
        }
        connection.id = id
        context.setDeadline(context.now + pool.connectTimeout, for: id)
        return connection
    }

    var isOpen: Bool {
        if case .closed = phase { return false }
        return true
    }

    // MARK: Exchange

    func start(_ request: UpstreamRequest, receiver: any UpstreamResponseReceiver, _ context: LoopContext) {
        method = request.method
        timeout = request.timeout.nanoseconds
        self.receiver = receiver
        receivedAny = false
        streamEnded = false
        streamFailure = nil
        body = []
        sendRefused = false
        request.encode(authority: endpoint.authority, into: &output)
        outputSent = 0
        let connecting: Bool
        if case .connecting = phase { connecting = true } else { connecting = false }
        if !connecting {
            phase = .awaitingHead
            flush(context)
        }
        guard isOpen else { return }
        if !connecting { context.setDeadline(context.now + timeout, for: id) }
        updateEvents(context)
    }

    func ready(events: UInt32, _ context: LoopContext) {
        if case .connecting = phase {
            guard connectCompleted(context) else { return }
        }
        if events & Epoll.writable != 0, outputSent < output.count { flush(context) }
        if events & (Epoll.readable | Epoll.errorOrHangUp) != 0, isOpen { read(context) }
        if isOpen { updateEvents(context) }
    }

    func deadlineReached(_ context: LoopContext) {
        switch phase {
        case .connecting: fail(UpstreamError(.connectFailed, "connect to \(endpoint.url) timed out"), context)
        case .awaitingHead: fail(UpstreamError(.timedOut, "no response from \(endpoint.url) in time"), context)
        case .streaming where reader == nil:
            // The client is slow to take the body, not the upstream to send it: the server's send timeout covers that.
            context.setDeadline(context.now + timeout, for: id)
        case .collecting, .streaming: fail(UpstreamError(.timedOut, "the response body from \(endpoint.url) stalled"), context)
        case .idle: close(context)
        case .closed: break
        }
    }

    func loopStopped(_ context: LoopContext) {
        fail(UpstreamError(.noEventLoop, "the event loop stopped"), context)
    }

    private func connectCompleted(_ context: LoopContext) -> Bool {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            fail(UpstreamError(.connectFailed, "connect to \(endpoint.url): \(String(cString: strerror(error)))"), context)
            return false
        }
        if receiver != nil {
            phase = .awaitingHead
            context.setDeadline(context.now + timeout, for: id)
        } else {
            phase = .idle
        }
        return true
    }

    private func flush(_ context: LoopContext) {
        while outputSent < output.count {
            let count = output.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + outputSent, raw.count - outputSent, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                outputSent += count
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                return
            } else if count < 0, errno == EPIPE || errno == ECONNRESET, !sendRefused {
                // An upstream may answer before reading the whole body (a 413) and close: that answer,
                // already received, is the response; without one the exchange failed.
                sendRefused = true
                read(context)
                if receiver != nil { fail(lost("sending to \(endpoint.url) failed"), context) }
                return
            } else {
                fail(lost("sending to \(endpoint.url) failed"), context)
                return
            }
        }
        // Kept for the next request unless a large body grew it: pooled connections
        // should not each hold megabytes.
        if output.capacity > Self.keptOutputCapacity { output = [] } else { output.removeAll(keepingCapacity: true) }
        outputSent = 0
    }

    private func read(_ context: LoopContext) {
        while isOpen {
            let count = recv(fd, context.scratch.baseAddress, context.scratch.count, 0)
            if count > 0 {
                receivedAny = true
                if case .idle = phase {
                    close(context)  // an unasked-for byte on an idle connection: it is not reusable
                    return
                }
                if inputStart == input.count {
                    input.removeAll(keepingCapacity: true)
                    inputStart = 0
                }
                input.append(contentsOf: UnsafeRawBufferPointer(rebasing: context.scratch[..<count]))
                process(context)
                if count < context.scratch.count || paused { return }
            } else if count == 0 {
                endOfStream(context)
                return
            } else {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
                fail(lost("reading from \(endpoint.url) failed"), context)
                return
            }
        }
    }

    /// Moves the exchange forward with what `input` holds.
    private func process(_ context: LoopContext) {
        while isOpen {
            switch phase {
            case .awaitingHead:
                guard parseHead(context) else { return }
            case .collecting(let head, let remaining):
                let count = min(remaining, input.count - inputStart)
                body.append(contentsOf: input[inputStart..<(inputStart + count)])
                inputStart += count
                guard count == remaining else {
                    phase = .collecting(head: head, remaining: remaining - count)
                    return
                }
                deliver(UpstreamResponse(status: head.status, headers: head.headers, body: .bytes(body)), context)
                body = []
                finishExchange(keepAlive: head.keepAlive, context)
                return
            case .streaming(var decoder):
                phase = .closed  // drops the enum's copy so `ready` and the decoder grow in place
                let outcome = input.withUnsafeBufferPointer { decoder.decode(UnsafeBufferPointer(rebasing: $0[inputStart...]), into: &ready) }
                inputStart += outcome.consumed
                phase = .streaming(decoder)
                switch outcome.result {
                case .needMore: break
                case .done: streamEnded = true
                case .malformed: streamFailure = UpstreamError(.invalidResponse, "malformed chunked body from \(endpoint.url)")
                }
                feedReader(context)
                return
            case .connecting, .idle, .closed:
                return
            }
        }
    }

    /// Parses the head once complete; `true` to keep processing the body.
    private func parseHead(_ context: LoopContext) -> Bool {
        let outcome = input.withUnsafeBytes { scanner.scan(UnsafeRawBufferPointer(rebasing: $0[inputStart...])) }
        switch outcome {
        case .incomplete:
            if input.count - inputStart > 64 * 1024 { fail(UpstreamError(.invalidResponse, "response head too large"), context) }
            return false
        case .bareLineFeed:
            fail(UpstreamError(.invalidResponse, "bare LF in the response head from \(endpoint.url)"), context)
            return false
        case .complete(let length):
            scanner.reset()
            let start = inputStart
            inputStart += length
            let parsed = input.withUnsafeBufferPointer {
                UpstreamResponseHead.parse(UnsafeBufferPointer(rebasing: $0[start..<(start + length)]), method: method)
            }
            guard let head = parsed else {
                fail(UpstreamError(.invalidResponse, "malformed response head from \(endpoint.url)"), context)
                return false
            }
            if (100..<200).contains(head.status.rawValue) { return true }  // interim: the final head follows
            switch head.framing {
            case .none:
                deliver(UpstreamResponse(status: head.status, headers: head.headers, body: .empty), context)
                finishExchange(keepAlive: head.keepAlive, context)
                return false
            case .length(let length) where length <= pool.bufferedBodyLimit:
                body.reserveCapacity(length)
                phase = .collecting(head: head, remaining: length)
            default:
                phase = .streaming(UpstreamBodyDecoder(head.framing))
                let source = UpstreamBodySource(connection: self)
                deliver(UpstreamResponse(status: head.status, headers: head.headers, body: .stream(source.stream)), context)
            }
            context.setDeadline(context.now + timeout, for: id)
            return true
        }
    }

    private func endOfStream(_ context: LoopContext) {
        switch phase {
        case .streaming(let decoder):
            if decoder.endOfInput() { streamEnded = true } else {
                streamFailure = UpstreamError(.connectionLost, "\(endpoint.url) closed mid-body")
            }
            feedReader(context)
            close(context)  // what is buffered stays readable; a body read to its close cannot be reused
        case .idle:
            close(context)
        default:
            fail(lost("\(endpoint.url) closed the connection"), context)
        }
    }

    private func lost(_ message: String) -> UpstreamError {
        var stale = false
        if case .awaitingHead = phase { stale = reused && !receivedAny }
        return UpstreamError(.connectionLost, message, onReusedConnectionBeforeResponse: stale)
    }

    private func deliver(_ response: UpstreamResponse, _ context: LoopContext) {
        let receiver = self.receiver
        self.receiver = nil
        receiver?.upstreamAnswered(.success(response))
    }

    /// The response is complete: back to the pool when reusable, else closed.
    private func finishExchange(keepAlive: Bool, _ context: LoopContext) {
        reused = true
        guard keepAlive, !sendRefused, inputStart == input.count, outputSent == output.count else {
            close(context)
            return
        }
        phase = .idle
        context.setDeadline(context.now + pool.idleTimeout, for: id)
        pool.release(self, context)
    }

    // MARK: Streaming body

    /// Unread decoded bytes above this stop reading from the upstream until the reader catches up.
    private static let highWater = 256 * 1024

    private var paused: Bool { ready.count >= Self.highWater }

    /// The next piece of the body for its reader; `nil` at its end.
    func nextChunk(_ context: LoopContext) async throws -> [UInt8]? {
        if let chunk = takeReady(context) { return chunk }
        if let failure = streamFailure { throw failure }
        if streamEnded { return nil }
        return try await withCheckedThrowingContinuation { continuation in
            reader = continuation
            updateEvents(context)
        }
    }

    /// Hands the reader what is ready, or its end, or its failure.
    private func feedReader(_ context: LoopContext) {
        guard let reader else { return }
        if let chunk = takeReady(context) {
            self.reader = nil
            reader.resume(returning: chunk)
        } else if let failure = streamFailure {
            self.reader = nil
            reader.resume(throwing: failure)
        } else if streamEnded {
            self.reader = nil
            reader.resume(returning: nil)
        }
    }

    private func takeReady(_ context: LoopContext) -> [UInt8]? {
        guard !ready.isEmpty else {
            if streamEnded, streamFailure == nil, case .streaming(let decoder) = phase {
                finishExchange(keepAlive: decoder.allowsReuse, context)
            }
            return nil
        }
        var chunk: [UInt8] = []
        swap(&chunk, &ready)
        if isOpen { context.setDeadline(context.now + timeout, for: id) }
        return chunk
    }

    /// The reader went away before the end: the connection's state is unknown, close it.
    func abandon(_ context: LoopContext) {
        if case .streaming = phase { close(context) }
    }

    // MARK: Closing

    private func fail(_ error: UpstreamError, _ context: LoopContext) {
        if case .streaming = phase, streamFailure == nil, !streamEnded { streamFailure = error }
        feedReader(context)
        let receiver = self.receiver
        self.receiver = nil
        close(context)
        receiver?.upstreamAnswered(.failure(error))
    }

    func close(_ context: LoopContext) {
        guard isOpen else { return }
        if case .idle = phase { pool.forget(self) }
        phase = .closed
        context.unregister(id)
        Glibc.close(fd)
        if let reader {
            self.reader = nil
            reader.resume(throwing: streamFailure ?? UpstreamError(.connectionLost, "\(endpoint.url) connection closed"))
        }
    }

    private func updateEvents(_ context: LoopContext) {
        guard isOpen else { return }
        var wanted: UInt32 = 0
        if case .connecting = phase { wanted = Epoll.writable } else {
            if outputSent < output.count { wanted |= Epoll.writable }
            if !paused || reader != nil { wanted |= Epoll.readable }
        }
        guard wanted != events else { return }
        events = wanted
        context.modify(id, events: wanted)
    }
}
