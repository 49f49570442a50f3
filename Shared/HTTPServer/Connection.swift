import CSystem
import Glibc
import MusterHTTP

/// One client connection, owned by its loop's thread: reads and parses requests,
/// starts their handlers, and keeps their responses in order (writing is in
/// `ConnectionWriting.swift`).
///
/// The buffers, scanner and queue, used many times for every request, skip the
/// run-time exclusivity check (`@exclusivity(unchecked)`, about a fifth of the
/// user time of a fixed-route request): only the loop's thread touches them, and
/// nothing called while one is being accessed can reach this connection (a
/// handler started from `startHandlers` answers through the loop's mailbox; a
/// loop responder may answer at once, which only reads the queue to set the slot).
final class Connection {
    enum ReadPhase {
        case head
        case body(PendingBody)
        /// No further request is read: after a rejection, `Connection: close`,
        /// the end of the client's input, or shutdown.
        case stopped
    }

    struct PendingBody {
        let head: RequestHead
        let sequence: UInt64
        let requestID: String
        let limit: Int
        var bytes: [UInt8]
        var reader: BodyReader
    }

    enum BodyReader {
        case length(remaining: Int)
        case chunked(ChunkedBodyDecoder)
    }

    enum Closing {
        case open
        /// Close once the output is written (a response said `Connection: close`).
        case afterFlush
        /// Our side is shut; draining the client's leftovers until it closes too.
        case lingering
        case now
    }

    enum Blocked {
        case no, onReadable, onWritable
    }

    let id: ConnectionID
    let peerAddress: String
    let transport: ConnectionTransport
    /// Handed to each request's context (``ConnectionMemory``).
    let memory = ConnectionMemory()

    @exclusivity(unchecked) var input: [UInt8] = []
    var inputStart = 0
    @exclusivity(unchecked) var scanner = HeadScanner()
    var phase = ReadPhase.head
    /// A request head has been completed on this connection (until then the header timeout runs).
    var servedAny = false
    /// Stop reading after the request whose body is arriving (shutdown).
    var stopAfterBody = false
    var readEnded = false
    var readBlocked = Blocked.no
    /// Reading stopped with input left (buffered here or in TLS) for want of
    /// room (`hasRoom`); it resumes once responses have gone out.
    var readSuspended = false
    @exclusivity(unchecked) var responses = ResponseQueue()

    @exclusivity(unchecked) var output: [UInt8] = []
    var outputSent = 0
    var writeBlocked = Blocked.no
    var closing = Closing.open
    var lingeredBytes = 0

    /// Plain sockets are edge-triggered: a read shorter than the buffer drained
    /// the socket (unless the peer has shut its side: then reading goes on to the
    /// end), and reading that stops early (no room, or while answering a last
    /// request) resumes by itself (`readSuspended`, lingering) or through
    /// `epoll_ctl`, which reports what is already pending. TLS stays
    /// level-triggered: OpenSSL's own buffering makes "drained" its business.
    let edgeTrigger: UInt32
    /// Epoll reported the peer's shutdown; its end of stream is still to be read.
    var peerShutdown = false
    var registeredEvents: UInt32
    var deadlineKind: DeadlineKind?
    var deadlineAt: Int64?
    /// The time of this connection's live entry in the loop's deadline heap.
    var scheduledAt: Int64?
    var isDirty = false

    /// Whether another request may be taken: the queue has a free slot, and the
    /// client reads what it is sent (fixed answers go straight into the output,
    /// so the queue alone would not bound a client that pipelines and never reads).
    var hasRoom: Bool {
        !responses.isFull && output.count - outputSent < ResponseQueue.highWater
    }

    init(id: ConnectionID, peerAddress: String, transport: ConnectionTransport) {
        self.id = id
        self.peerAddress = peerAddress
        self.transport = transport
        edgeTrigger = transport.buffersInput ? 0 : Epoll.edgeTriggered | Epoll.peerShutdown
        registeredEvents = Epoll.readable | edgeTrigger
    }

    // MARK: Reading

    /// The socket is readable (or a blocked TLS write waits on it).
    func readable(_ context: LoopContext) {
        context.markDirty(self)
        if writeBlocked == .onReadable { writeBlocked = .no }
        readBlocked = .no
        readSuspended = false
        let bound = context.configuration.maxHeaderBytes + context.scratch.count
        while closing == .open || closing == .lingering {
            let result = transport.receive(id.fd, into: context.scratch)
            guard case .transferred(let count) = result else {
                switch result {
                case .wouldBlock(let needsWritable): readBlocked = needsWritable ? .onWritable : .no
                case .endOfStream:
                    readEnded = true
                    if closing == .lingering { closing = .now }
                default: closing = .now
                }
                break
            }
            if closing == .lingering {
                lingeredBytes += count
                if lingeredBytes > LoopContext.lingerBytes { closing = .now }
                continue
            }
            compactInput()
            input.append(contentsOf: UnsafeRawBufferPointer(rebasing: context.scratch[..<count]))
            // A short read drained a plain socket (epoll tells of what comes next);
            // TLS must drain what OpenSSL has decrypted and buffered.
            if !transport.buffersInput, !peerShutdown, count < context.scratch.count { break }
            if input.count - inputStart >= bound {
                processInput(context)
                // No room: what the transport still holds is read later.
                if input.count - inputStart >= bound {
                    readSuspended = true
                    break
                }
            }
        }
        guard closing == .open else { return }
        processInput(context)
        if !hasRoom, inputStart < input.count { readSuspended = true }
        if readEnded, !readSuspended { clientFinishedSending() }
        startHandlers(context)
    }

    /// Parses as many requests as the input holds and there is room for.
    private func processInput(_ context: LoopContext) {
        while hasRoom {
            switch phase {
            case .stopped:
                inputStart = input.count
                return
            case .head:
                guard readHead(context) else { return }
            case .body(var pending):
                phase = .stopped  // drops the enum's reference so `pending.bytes` grows in place
                guard let complete = readBody(&pending, context) else { return }
                if complete {
                    finishBody(pending, context)
                } else {
                    phase = .body(pending)
                    return
                }
            }
        }
    }

    /// Reads one request head if it is complete; `false` when more input is needed.
    private func readHead(_ context: LoopContext) -> Bool {
        skipEmptyLines()
        let available = input.count - inputStart
        guard available > 0, !(available == 1 && input[inputStart] == 0x0D) else { return false }
        let outcome = input.withUnsafeBytes { scanner.scan(UnsafeRawBufferPointer(rebasing: $0[inputStart...])) }
        switch outcome {
        case .incomplete:
            if available > context.configuration.maxHeaderBytes { reject(.headersTooLarge(), context) }
            return false
        case .bareLineFeed:
            reject(.badRequest("Bare LF in the request head."), context)
            return true
        case .complete(let length):
            scanner.reset()
            servedAny = true
            guard length <= context.configuration.maxHeaderBytes else {
                reject(.headersTooLarge(), context)
                return true
            }
            let start = inputStart
            inputStart += length
            do {
                let head = try input.withUnsafeBufferPointer { (buffer) throws(RequestRejection) in
                    try context.parser.parse(UnsafeBufferPointer(rebasing: buffer[start..<(start + length)])) {
                        context.responder.fixedResponse(method: $0, path: $1)
                    }
                }
                accept(head, context)
            } catch {
                reject(error, context)
            }
            return true
        }
    }

    /// RFC 9112 §2.2: empty lines before a request line are ignored.
    private func skipEmptyLines() {
        while input.count - inputStart >= 2, input[inputStart] == 0x0D, input[inputStart + 1] == 0x0A {
            inputStart += 2
        }
    }

    private func accept(_ head: RequestHead, _ context: LoopContext) {
        let requestID = head.requestID ?? context.requestIDs.generate()
        let reader: BodyReader
        switch head.framing {
        case .none, .length(0):
            if let fixed = head.fixed {
                answer(head, with: fixed, requestID: requestID, context)
            } else {
                let request = makeRequest(head, body: [], requestID: requestID, context)
                _ = responses.append(method: head.method, version: head.version, requestID: requestID,
                                     keepAlive: head.keepAlive, phase: .waiting(request))
            }
            if !head.keepAlive { phase = .stopped }
            return
        case .length(let length):
            reader = .length(remaining: length)
        case .chunked:
            reader = .chunked(ChunkedBodyDecoder(maxTrailerBytes: context.configuration.maxHeaderBytes))
        }
        // Looked up only for requests with a body: it costs a route match.
        let limit = context.responder.bodyLimit(method: head.method, path: head.path)
        if case .length(let length) = head.framing, length > limit {
            reject(.bodyTooLarge(requestID: requestID), context)
            return
        }
        // 100 Continue only when the client is really waiting (no body bytes yet).
        let sequence = responses.append(method: head.method, version: head.version, requestID: requestID,
                                        keepAlive: head.keepAlive,
                                        sendsContinue: head.expectsContinue && inputStart == input.count, phase: .receiving)
        var bytes: [UInt8] = []
        if case .length(let length) = head.framing { bytes.reserveCapacity(min(length, 64 * 1024)) }
        phase = .body(PendingBody(head: head, sequence: sequence, requestID: requestID, limit: limit, bytes: bytes, reader: reader))
    }

    /// Answers a fixed route: straight into the output when no earlier response
    /// is pending (no request, no queue slot), else in a slot behind them.
    private func answer(_ head: RequestHead, with fixed: FixedResponse, requestID: String, _ context: LoopContext) {
        guard responses.isEmpty else {
            _ = responses.append(method: head.method, version: head.version, requestID: requestID,
                                 keepAlive: head.keepAlive, phase: .ready(fixed.response))
            return
        }
        let keepAlive = fixed.write(method: head.method, version: head.version, keepAlive: head.keepAlive,
                                    requestID: requestID, date: context.date.value, into: &output)
        if !keepAlive {
            phase = .stopped
            closing = .afterFlush
        }
    }

    /// Moves body bytes from the input; `true` when complete, `false` for more, `nil` when refused.
    private func readBody(_ pending: inout PendingBody, _ context: LoopContext) -> Bool? {
        switch pending.reader {
        case .length(let remaining):
            let count = min(remaining, input.count - inputStart)
            pending.bytes.append(contentsOf: input[inputStart..<(inputStart + count)])
            inputStart += count
            pending.reader = .length(remaining: remaining - count)
            return count == remaining
        case .chunked(var decoder):
            pending.reader = .length(remaining: 0)
            let (consumed, outcome) = input.withUnsafeBufferPointer {
                decoder.decode(UnsafeBufferPointer(rebasing: $0[inputStart...]), into: &pending.bytes, limit: pending.limit)
            }
            inputStart += consumed
            pending.reader = .chunked(decoder)
            switch outcome {
            case .needMore: return false
            case .done: return true
            case .tooLarge: reject(.bodyTooLarge(requestID: pending.requestID), replacing: pending.sequence, context)
            case .malformed(let message): reject(.badRequest(message), replacing: pending.sequence, context)
            }
            return nil
        }
    }

    private func finishBody(_ pending: PendingBody, _ context: LoopContext) {
        let request = makeRequest(pending.head, body: pending.bytes, requestID: pending.requestID, context)
        responses.bodyReceived(pending.sequence, request: request)
        phase = pending.head.keepAlive && !stopAfterBody ? .head : .stopped
    }

    private func makeRequest(_ head: RequestHead, body: [UInt8], requestID: String, _ context: LoopContext) -> HTTPRequest {
        var logger = context.logger
        logger.requestID = requestID
        let request = HTTPRequest(method: head.method, target: head.target, headers: head.headers, body: body,
                                  context: RequestContext(requestID: requestID, peerAddress: peerAddress, logger: logger,
                                                          isSecure: transport.isSecure))
        request.attach(loop: context.loop, connection: memory)
        return request
    }

    /// Answers a request the server refuses, then reads no more from this connection.
    private func reject(_ rejection: RequestRejection, replacing sequence: UInt64? = nil, _ context: LoopContext) {
        let requestID = rejection.requestID ?? context.requestIDs.generate()
        let response = rejection.error.response(requestID: requestID)
        if let sequence {
            responses.fail(sequence, with: response)
        } else {
            _ = responses.append(method: .get, version: .http11, requestID: requestID, keepAlive: false, phase: .ready(response))
        }
        phase = .stopped
        context.logger.info("request rejected", ["status": String(rejection.status.rawValue), "reason": rejection.message,
                                                  "request_id": requestID, "peer": peerAddress])
    }

    /// The client shut its sending side: answer what is complete, then close.
    private func clientFinishedSending() {
        if case .body(let pending) = phase { responses.discard(pending.sequence) }
        phase = .stopped
        closeAfterResponses()
    }

    func startHandlers(_ context: LoopContext) {
        responses.startWaiting { request, slot in
            context.startHandler(request, slot: slot, of: self)
        }
    }

    /// Keeps the unread input at the front of the buffer so that it does not grow without bound.
    private func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: true)
            inputStart = 0
        } else if inputStart > 4096 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    // MARK: Shutdown

    /// Stop taking requests: an idle connection closes now, a busy one after the
    /// requests it has already begun (the last response says `Connection: close`).
    func beginShutdown() {
        guard closing == .open else { return }
        switch phase {
        case .body: stopAfterBody = true
        case .head: phase = .stopped
        case .stopped: break
        }
        closeAfterResponses()
    }

    /// Closes once every response begun has been sent: at once when none is left.
    private func closeAfterResponses() {
        if !responses.isEmpty {
            responses.closeAfterLast()
        } else {
            closing = outputSent < output.count ? .afterFlush : .now
        }
    }
}
