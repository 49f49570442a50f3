/// One request's place in its connection's response order.
struct ResponseSlot {
    enum Phase {
        /// The body is still arriving.
        case receiving
        /// Complete, waiting for earlier requests before its handler may start.
        case waiting(HTTPRequest)
        case running
        /// A response whose body (if any) is already in memory.
        case ready(HTTPResponse)
        /// A response whose body the handler's task streams, chunk by chunk.
        case streaming(StreamProgress)
    }

    let sequence: UInt64
    let method: HTTPMethod
    let version: HTTPVersion
    let requestID: String
    var keepAlive: Bool
    /// `100 Continue` is owed, written when this slot reaches the front.
    var sendsContinue: Bool
    var phase: Phase
}

/// A streamed response on its way out.
struct StreamProgress {
    /// The response whose head is still to be written.
    var head: HTTPResponse?
    let chunked: Bool
    var pending: [UInt8]?
    var continuation: CheckedContinuation<Void, any Error>?
    var ended = false
    var succeeded = true
}

/// A connection's requests in arrival order. Handlers of safe requests may run
/// side by side (RFC 9112 §9.3.2), any other request runs alone, and responses
/// leave strictly in request order whatever order the handlers finish in.
struct ResponseQueue {
    /// Requests one connection may have in flight before the server stops reading from it.
    static let capacity = 16
    /// Unsent output above which a streamed body's next chunk waits.
    static let highWater = 256 * 1024

    private(set) var slots: [ResponseSlot] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { slots.isEmpty }
    var isFull: Bool { slots.count >= Self.capacity }

    mutating func append(method: HTTPMethod, version: HTTPVersion, requestID: String, keepAlive: Bool,
                         sendsContinue: Bool = false, phase: ResponseSlot.Phase) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        slots.append(ResponseSlot(sequence: sequence, method: method, version: version, requestID: requestID,
                                  keepAlive: keepAlive, sendsContinue: sendsContinue, phase: phase))
        return sequence
    }

    mutating func bodyReceived(_ sequence: UInt64, request: HTTPRequest) {
        guard let index = index(of: sequence) else { return }
        slots[index].sendsContinue = false
        slots[index].phase = .waiting(request)
    }

    /// Starts every waiting handler the ordering rules allow.
    mutating func startWaiting(_ start: (HTTPRequest, UInt64) -> Void) {
        var earlierRunning = false
        var earlierUnsafe = false
        for index in slots.indices {
            switch slots[index].phase {
            case .receiving:
                return
            case .running:
                earlierRunning = true
                earlierUnsafe = earlierUnsafe || !Self.isSafe(slots[index].method)
            case .waiting(let request):
                let safe = Self.isSafe(request.method)
                guard safe ? !earlierUnsafe : !earlierRunning else { return }
                slots[index].phase = .running
                start(request, slots[index].sequence)
                earlierRunning = true
                earlierUnsafe = earlierUnsafe || !safe
            case .ready, .streaming:
                continue
            }
        }
    }

    mutating func complete(_ sequence: UInt64, with response: HTTPResponse) {
        guard let index = index(of: sequence) else { return }
        let slot = slots[index]
        if case .stream = response.body, ResponseFraming.sendsBody(method: slot.method, status: response.status) {
            let framing = ResponseFraming(status: response.status, body: response.body, version: slot.version)
            slots[index].phase = .streaming(StreamProgress(head: response, chunked: framing == .chunked))
        } else {
            slots[index].phase = .ready(response)
        }
    }

    /// Answers a request the server refused part-way (its body was malformed or too large).
    mutating func fail(_ sequence: UInt64, with response: HTTPResponse) {
        guard let index = index(of: sequence) else { return }
        slots[index].phase = .ready(response)
        slots[index].keepAlive = false
        slots[index].sendsContinue = false
    }

    /// Forgets a request whose body will never arrive.
    mutating func discard(_ sequence: UInt64) {
        slots.removeAll { $0.sequence == sequence }
    }

    /// Whether the front response has a chunk waiting for room in the output.
    var frontHasPendingChunk: Bool {
        guard case .streaming(let progress) = slots.first?.phase else { return false }
        return progress.pending != nil
    }

    /// Queues a streamed chunk; `false` when its request is gone (the caller fails the continuation).
    mutating func addChunk(_ sequence: UInt64, _ chunk: [UInt8], continuation: CheckedContinuation<Void, any Error>) -> Bool {
        guard let index = index(of: sequence), case .streaming(var progress) = slots[index].phase else { return false }
        progress.pending = chunk
        progress.continuation = continuation
        slots[index].phase = .streaming(progress)
        return true
    }

    mutating func endStream(_ sequence: UInt64, succeeded: Bool) {
        guard let index = index(of: sequence), case .streaming(var progress) = slots[index].phase else { return }
        progress.ended = true
        progress.succeeded = succeeded
        slots[index].phase = .streaming(progress)
    }

    /// Makes the last request the connection's last response (shutdown).
    mutating func closeAfterLast() {
        guard !slots.isEmpty else { return }
        slots[slots.count - 1].keepAlive = false
    }

    /// Encodes what the front of the queue has ready; `true` when the connection
    /// must close once `out` is flushed.
    mutating func write(into out: inout [UInt8], sent: Int, date: [UInt8]) -> Bool {
        while !slots.isEmpty {
            if slots[0].sendsContinue {
                out.append(contentsOf: ResponseEncoder.continueResponse)
                slots[0].sendsContinue = false
            }
            switch slots[0].phase {
            case .ready(let response):
                writeHead(response, into: &out, date: date)
                if case .bytes(let bytes) = response.body, ResponseFraming.sendsBody(method: slots[0].method, status: response.status) {
                    out.append(contentsOf: bytes)
                }
            case .streaming(var progress):
                if let head = progress.head {
                    writeHead(head, into: &out, date: date)
                    progress.head = nil
                }
                if let chunk = progress.pending, out.count - sent < Self.highWater {
                    if progress.chunked { ResponseEncoder.appendChunk(chunk, to: &out) } else { out.append(contentsOf: chunk) }
                    progress.continuation?.resume()
                    progress.pending = nil
                    progress.continuation = nil
                }
                slots[0].phase = .streaming(progress)
                guard progress.pending == nil, progress.ended else { return false }
                if progress.chunked, progress.succeeded { out.append(contentsOf: ResponseEncoder.lastChunk) }
                // A failed stream is cut off: closing tells the client the body is incomplete.
                if !progress.succeeded { slots[0].keepAlive = false }
            case .receiving, .waiting, .running:
                return false
            }
            let finished = slots.removeFirst()
            if !finished.keepAlive {
                failAll()
                return true
            }
        }
        return false
    }

    /// Writes the front slot's status line and headers, settling whether the connection stays open.
    private mutating func writeHead(_ response: HTTPResponse, into out: inout [UInt8], date: [UInt8]) {
        let slot = slots[0]
        let framing = ResponseFraming(status: response.status, body: response.body, version: slot.version)
        let delimitsByClosing = framing == .untilClose && ResponseFraming.sendsBody(method: slot.method, status: response.status)
        let keepAlive = slot.keepAlive && !delimitsByClosing && !ResponseEncoder.asksToClose(response)
        slots[0].keepAlive = keepAlive
        ResponseEncoder.appendHead(response, framing: framing, keepAlive: keepAlive, version: slot.version,
                                   requestID: slot.requestID, date: date, to: &out)
    }

    /// Fails every streaming task still waiting and forgets all slots (the connection is going).
    mutating func failAll() {
        for slot in slots {
            if case .streaming(let progress) = slot.phase { progress.continuation?.resume(throwing: ConnectionClosedError()) }
        }
        slots.removeAll()
    }

    private func index(of sequence: UInt64) -> Int? {
        slots.firstIndex { $0.sequence == sequence }
    }

    /// Safe methods (RFC 9110 §9.2.1) may be processed in parallel when pipelined.
    private static func isSafe(_ method: HTTPMethod) -> Bool {
        method == .get || method == .head || method == .options || method.rawValue == "TRACE"
    }
}
