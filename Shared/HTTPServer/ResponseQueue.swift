import MusterHTTP

/// One request's place in its connection's response order.
///
/// A class, so that the queue moves references around rather than copying the
/// request or response each slot holds.
final class ResponseSlot {
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
    /// Unchecked for exclusivity at run time, like the connection's queue: set and
    /// taken by short accesses on the loop's thread (a loop responder answering at
    /// once sets it after `startWaiting` has taken it).
    @exclusivity(unchecked) var phase: Phase

    init(sequence: UInt64, method: HTTPMethod, version: HTTPVersion, requestID: String, keepAlive: Bool,
         sendsContinue: Bool, phase: consuming Phase) {
        self.sequence = sequence
        self.method = method
        self.version = version
        self.requestID = requestID
        self.keepAlive = keepAlive
        self.sendsContinue = sendsContinue
        self.phase = phase
    }

    enum Stage {
        case receiving, waiting, running, answered
    }

    /// The phase without its payload: read in place, nothing copied.
    var stage: Stage {
        switch phase {
        case .receiving: .receiving
        case .waiting: .waiting
        case .running: .running
        case .ready, .streaming: .answered
        }
    }

    /// Takes the phase out, leaving `.running`: moved, not copied.
    func takePhase() -> Phase {
        var taken = Phase.running
        swap(&taken, &phase)
        return taken
    }

    /// Safe methods (RFC 9110 §9.2.1) may be processed in parallel when pipelined.
    var isSafe: Bool {
        method == .get || method == .head || method == .options || method.rawValue == "TRACE"
    }
}

/// A streamed response on its way out. A class, updated in place: it holds a
/// `CheckedContinuation`, a resilient type whose layout is known only at run
/// time, and held by value it would make every slot's phase such a value too.
final class StreamProgress {
    /// The response whose head is still to be written.
    var head: HTTPResponse?
    let chunked: Bool
    var pending: [UInt8]?
    var continuation: CheckedContinuation<Void, any Error>?
    var ended = false
    var succeeded = true

    init(head: HTTPResponse, chunked: Bool) {
        self.head = head
        self.chunked = chunked
    }
}

/// A connection's requests in arrival order. Handlers of safe requests may run
/// side by side (RFC 9112 §9.3.2), any other request runs alone, and responses
/// leave strictly in request order whatever order the handlers finish in.
struct ResponseQueue {
    /// Requests one connection may have in flight before the server stops reading from it.
    static let capacity = 16
    /// Unsent output above which a streamed body's next chunk waits, and the
    /// connection reads no further request (`Connection.hasRoom`).
    static let highWater = 256 * 1024

    private(set) var slots: [ResponseSlot] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { slots.isEmpty }
    var isFull: Bool { slots.count >= Self.capacity }

    mutating func append(method: HTTPMethod, version: HTTPVersion, requestID: String, keepAlive: Bool,
                         sendsContinue: Bool = false, phase: consuming ResponseSlot.Phase) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        slots.append(ResponseSlot(sequence: sequence, method: method, version: version, requestID: requestID,
                                  keepAlive: keepAlive, sendsContinue: sendsContinue, phase: phase))
        return sequence
    }

    func bodyReceived(_ sequence: UInt64, request: consuming HTTPRequest) {
        guard let slot = slot(sequence) else { return }
        slot.sendsContinue = false
        slot.phase = .waiting(request)
    }

    /// Starts every waiting handler the ordering rules allow.
    /// `start` returns the response when it is known at once (a fixed route).
    func startWaiting(_ start: (consuming HTTPRequest, ResponseSlot) -> HTTPResponse?) {
        var earlierRunning = false
        var earlierUnsafe = false
        for slot in slots {
            switch slot.stage {
            case .receiving:
                return
            case .running:
                break
            case .waiting:
                guard slot.isSafe ? !earlierUnsafe : !earlierRunning else { return }
                guard case .waiting(let request) = slot.takePhase() else { break }
                if let response = start(request, slot) {
                    slot.phase = .ready(response)
                    continue
                }
            case .answered:
                continue
            }
            earlierRunning = true
            earlierUnsafe = earlierUnsafe || !slot.isSafe
        }
    }

    func complete(_ sequence: UInt64, with response: consuming HTTPResponse) {
        guard let slot = slot(sequence) else { return }
        Self.complete(slot, with: response)
    }

    /// Answers `slot` (a loop responder holds its slot and needs no lookup).
    static func complete(_ slot: ResponseSlot, with response: consuming HTTPResponse) {
        if case .stream = response.body, ResponseFraming.sendsBody(method: slot.method, status: response.status) {
            let framing = ResponseFraming(status: response.status, body: response.body, version: slot.version)
            slot.phase = .streaming(StreamProgress(head: response, chunked: framing == .chunked))
        } else {
            slot.phase = .ready(response)
        }
    }

    /// Answers a request the server refused part-way (its body was malformed or too large).
    func fail(_ sequence: UInt64, with response: HTTPResponse) {
        guard let slot = slot(sequence) else { return }
        slot.phase = .ready(response)
        slot.keepAlive = false
        slot.sendsContinue = false
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
    func addChunk(_ sequence: UInt64, _ chunk: [UInt8], continuation: CheckedContinuation<Void, any Error>) -> Bool {
        guard let slot = slot(sequence), case .streaming(let progress) = slot.phase else { return false }
        progress.pending = chunk
        progress.continuation = continuation
        return true
    }

    func endStream(_ sequence: UInt64, succeeded: Bool) {
        guard let slot = slot(sequence), case .streaming(let progress) = slot.phase else { return }
        progress.ended = true
        progress.succeeded = succeeded
    }

    /// Makes the last request the connection's last response (shutdown).
    func closeAfterLast() {
        slots.last?.keepAlive = false
    }

    /// Encodes what the front of the queue has ready; `true` when the connection
    /// must close once `out` is flushed.
    mutating func write(into out: inout [UInt8], sent: Int, date: [UInt8]) -> Bool {
        while let slot = slots.first {
            if slot.sendsContinue {
                out.append(contentsOf: ResponseEncoder.continueResponse)
                slot.sendsContinue = false
            }
            switch slot.takePhase() {
            case .ready(let response):
                Self.writeHead(response, of: slot, into: &out, date: date)
                if case .bytes(let bytes) = response.body, ResponseFraming.sendsBody(method: slot.method, status: response.status) {
                    out.append(contentsOf: bytes)
                }
            case .streaming(let progress):
                if let head = progress.head {
                    Self.writeHead(head, of: slot, into: &out, date: date)
                    progress.head = nil
                }
                if let chunk = progress.pending, out.count - sent < Self.highWater {
                    if progress.chunked { ResponseEncoder.appendChunk(chunk, to: &out) } else { out.append(contentsOf: chunk) }
                    progress.continuation?.resume()
                    progress.pending = nil
                    progress.continuation = nil
                }
                guard progress.pending == nil, progress.ended else {
                    slot.phase = .streaming(progress)
                    return false
                }
                if progress.chunked, progress.succeeded { out.append(contentsOf: ResponseEncoder.lastChunk) }
                // A failed stream is cut off: closing tells the client the body is incomplete.
                if !progress.succeeded { slot.keepAlive = false }
            case let phase:
                slot.phase = phase
                return false
            }
            slots.removeFirst()
            if !slot.keepAlive {
                failAll()
                return true
            }
        }
        return false
    }

    /// Writes a slot's status line and headers, settling whether the connection stays open.
    private static func writeHead(_ response: HTTPResponse, of slot: ResponseSlot, into out: inout [UInt8], date: [UInt8]) {
        var framing = ResponseFraming(status: response.status, body: response.body, version: slot.version)
        if slot.method == .head, framing == .length(0), let declared = ResponseFraming.declaredLength(response) {
            framing = .length(declared)
        }
        let delimitsByClosing = framing == .untilClose && ResponseFraming.sendsBody(method: slot.method, status: response.status)
        slot.keepAlive = slot.keepAlive && !delimitsByClosing && !ResponseEncoder.asksToClose(response)
        ResponseEncoder.appendHead(response, framing: framing, keepAlive: slot.keepAlive, version: slot.version,
                                   requestID: slot.requestID, date: date, to: &out)
    }

    /// Fails every streaming task still waiting and forgets all slots (the connection is going).
    mutating func failAll() {
        for slot in slots {
            if case .streaming(let progress) = slot.phase { progress.continuation?.resume(throwing: ConnectionClosedError()) }
        }
        slots.removeAll()
    }

    private func slot(_ sequence: UInt64) -> ResponseSlot? {
        slots.first { $0.sequence == sequence }
    }
}
