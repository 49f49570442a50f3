import MusterHTTP
import Synchronization

/// The hand-over between the transfer thread, which produces a streamed
/// response, and the task that consumes it.
///
/// The head goes to a waiting continuation. Body chunks queue up to
/// ``highWater`` bytes; past that ``offer(_:)`` refuses and the transfer
/// pauses, and the consumer learns from ``next(resumeTransfer:)`` when the
/// queue has drained below half so that it can ask for the transfer to resume.
final class StreamedBody: Sendable {
    struct Head: Sendable {
        var status: HTTPStatus
        var headers: HTTPHeaders
    }

    private enum Next {
        case chunk([UInt8], resumeTransfer: Bool)
        case end
        case failure(any Error)
    }

    private struct State {
        var headWaiter: CheckedContinuation<Head, any Error>?
        var bodyWaiter: CheckedContinuation<Next, Never>?
        var chunks: [[UInt8]] = []
        var firstChunk = 0
        var bufferedBytes = 0
        var isPaused = false
        var ending: Result<Void, any Error>?

        /// The next chunk or the end, or `nil` when nothing has arrived yet.
        mutating func take(highWater: Int) -> Next? {
            if firstChunk < chunks.count {
                let chunk = chunks[firstChunk]
                chunks[firstChunk] = []
                firstChunk += 1
                if firstChunk == chunks.count {
                    chunks.removeAll(keepingCapacity: true)
                    firstChunk = 0
                }
                bufferedBytes -= chunk.count
                let resume = isPaused && bufferedBytes < highWater / 2
                if resume { isPaused = false }
                return .chunk(chunk, resumeTransfer: resume)
            }
            switch ending {
            case nil: return nil
            case .success: return .end
            case .failure(let error): return .failure(error)
            }
        }
    }

    let highWater: Int
    private let state = Mutex(State())

    init(highWater: Int = 256 << 10) {
        self.highWater = highWater
    }

    // MARK: Consumer side

    /// Waits for the head. `submit` starts the transfer once the waiter is in place.
    func head(submit: () -> Void) async throws -> Head {
        try await withCheckedThrowingContinuation { continuation in
            state.withLock { $0.headWaiter = continuation }
            submit()
        }
    }

    /// The next chunk, or `nil` at the end. Calls `resumeTransfer` when the
    /// transfer paused for this consumer and may now go on.
    func next(resumeTransfer: () -> Void) async throws -> [UInt8]? {
        let next = await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                let next = state.take(highWater: highWater)
                if next == nil { state.bodyWaiter = continuation }
                return next
            }
            if let ready { continuation.resume(returning: ready) }
        }
        switch next {
        case .chunk(let chunk, let resume):
            if resume { resumeTransfer() }
            return chunk
        case .end:
            return nil
        case .failure(let error):
            throw error
        }
    }

    /// Whether the transfer is over (its last chunks may still be queued).
    var isFinished: Bool { state.withLock { $0.ending != nil } }

    // MARK: Transfer-thread side

    func deliverHead(_ head: Head) {
        state.withLock { $0.headWaiter.take() }?.resume(returning: head)
    }

    /// Queues `bytes`, or refuses them: the transfer then pauses and offers them again once resumed.
    func offer(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Next, Never>?) in
            if let waiter = state.bodyWaiter.take() { return (true, waiter) }
            guard state.bufferedBytes < highWater else {
                state.isPaused = true
                return (false, nil)
            }
            state.chunks.append(Array(bytes))
            state.bufferedBytes += bytes.count
            return (true, nil)
        }
        waiter?.resume(returning: .chunk(Array(bytes), resumeTransfer: false))
        return accepted
    }

    /// Ends the body. Before the head, a failure goes to the head's waiter instead.
    func finish(_ ending: Result<Void, any Error>) {
        let (headWaiter, bodyWaiter) = state.withLock { state in
            if state.ending == nil { state.ending = ending }
            return (state.headWaiter.take(), state.bodyWaiter.take())
        }
        if let headWaiter {
            let error = if case .failure(let error) = ending { error } else { HTTPClientError.endedBeforeHead }
            headWaiter.resume(throwing: error)
        }
        switch ending {
        case .success: bodyWaiter?.resume(returning: .end)
        case .failure(let error): bodyWaiter?.resume(returning: .failure(error))
        }
    }
}
