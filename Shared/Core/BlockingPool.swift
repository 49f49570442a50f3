import Dispatch
import Foundation
import Synchronization

/// A fixed set of dedicated threads that run blocking work (scrypt, libpq,
/// libcurl…) for async code, so that it never occupies Swift's cooperative pool.
///
/// At most `threads` jobs run at once; the others wait in a FIFO queue. A job
/// whose task is cancelled while it waits is dropped and throws
/// `CancellationError`; with `maxQueued`, a full queue refuses new work at once
/// (`BlockingPool.Overloaded`), so that callers can answer `503` instead of
/// piling up.
///
/// ```swift
/// let pool = BlockingPool(name: "scrypt", threads: 2, maxQueued: 64)
/// let key = try await pool.run { try Scrypt.derive(password: password, salt: salt, parameters: .current, length: 32) }
/// pool.shutdown()   // in tests: queued jobs finish, then the threads exit
/// ```
public final class BlockingPool: Sendable {
    /// Thrown by `run` when `maxQueued` jobs are already waiting.
    public struct Overloaded: Error, CustomStringConvertible {
        public let pool: String
        public var description: String { "blocking pool \(pool) is overloaded" }
    }

    /// Thrown by `run` after `shutdown()`.
    public struct ShutDown: Error, CustomStringConvertible {
        public let pool: String
        public var description: String { "blocking pool \(pool) is shut down" }
    }

    public let name: String
    public let threadCount: Int
    private let queue: JobQueue

    /// Starts `threads` threads named `name-1`, `name-2`…
    public init(name: String, threads: Int, maxQueued: Int? = nil) {
        precondition(threads > 0, "a blocking pool needs at least one thread")
        self.name = name
        self.threadCount = threads
        self.queue = JobQueue(threads: threads, maxQueued: maxQueued)
        for index in 1...threads {
            Thread { [queue] in
                Self.nameCurrentThread("\(name)-\(index)")
                queue.work()
            }.start()
        }
    }

    deinit { queue.close() }

    /// Runs `work` on one of the pool's threads and returns its result.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let job = Job()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let attached = job.attach { outcome in
                    switch outcome {
                    case .run: continuation.resume(with: Result { try work() })
                    case .fail(let error): continuation.resume(throwing: error)
                    }
                }
                guard attached else { return continuation.resume(throwing: CancellationError()) }
                if let refusal = queue.enqueue(job), let finish = job.cancel() {
                    finish(.fail(refusal == .overloaded ? Overloaded(pool: name) as any Error : ShutDown(pool: name)))
                }
            }
        } onCancel: {
            guard let finish = job.cancel() else { return }
            queue.remove(job)
            finish(.fail(CancellationError()))
        }
    }

    /// Jobs waiting for a thread (for metrics).
    public var queuedCount: Int { queue.queuedCount }

    /// Refuses new work; queued jobs still run, then the threads exit.
    public func shutdown() { queue.close() }

    /// Names the calling thread as `top -H` and debuggers show it. On Linux,
    /// Foundation's `Thread.name` does not reliably reach the kernel (the setter
    /// races with `start()`), so the name is written where the kernel keeps it.
    private static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        #else
        Thread.current.name = name
        #endif
    }
}

/// One unit of work: who finishes it is decided under its lock, so exactly one
/// of the worker, the cancelling task or a refused enqueue resumes the caller.
private final class Job: Sendable {
    enum Outcome { case run, fail(any Error) }
    typealias Finish = @Sendable (Outcome) -> Void
    private enum State { case pending, waiting(Finish), cancelled, taken }
    private let state = Mutex(State.pending)

    /// Hands over the continuation; `false` when the task was cancelled first.
    func attach(_ finish: @escaping Finish) -> Bool {
        state.withLock { state in
            guard case .pending = state else { return false }
            state = .waiting(finish)
            return true
        }
    }

    /// Takes the job away from the workers; the caller must finish it.
    func cancel() -> Finish? { claim(next: .cancelled) }

    /// Takes the job for a worker; `nil` when it was cancelled.
    func take() -> Finish? { claim(next: .taken) }

    private func claim(next: State) -> Finish? {
        state.withLock { state in
            switch state {
            case .waiting(let finish):
                state = next
                return finish
            case .pending:
                state = next
                return nil
            case .cancelled, .taken:
                return nil
            }
        }
    }
}

/// The FIFO queue the pool's threads take jobs from.
///
/// A counting semaphore is signalled once per queued job and once per thread on
/// closing; a worker that wakes to an empty open queue (its job was cancelled
/// and removed) simply waits again.
private final class JobQueue: Sendable {
    enum Refusal { case overloaded, closed }

    private struct State {
        var jobs: [Job] = []
        var head = 0
        var closed = false
        var count: Int { jobs.count - head }
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let maxQueued: Int?
    private let threads: Int

    init(threads: Int, maxQueued: Int?) {
        self.threads = threads
        self.maxQueued = maxQueued
    }

    func enqueue(_ job: Job) -> Refusal? {
        let refusal: Refusal? = state.withLock { state in
            if state.closed { return .closed }
            if let maxQueued, state.count >= maxQueued { return .overloaded }
            state.jobs.append(job)
            return nil
        }
        if refusal == nil { available.signal() }
        return refusal
    }

    func remove(_ job: Job) {
        state.withLock { state in
            if let index = state.jobs[state.head...].firstIndex(where: { $0 === job }) {
                state.jobs.remove(at: index)
            }
        }
    }

    var queuedCount: Int { state.withLock { $0.count } }

    func close() {
        let wasOpen = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        if wasOpen { for _ in 0..<threads { available.signal() } }
    }

    /// A worker thread's loop: take the oldest job and run it; exit once closed and drained.
    func work() {
        while true {
            available.wait()
            let next: Job?? = state.withLock { state in
                guard state.head < state.jobs.count else { return state.closed ? .some(nil) : .none }
                let job = state.jobs[state.head]
                state.head += 1
                // Compact now and then so the array does not grow without bound.
                if state.head >= 64, state.head * 2 >= state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return .some(job)
            }
            switch next {
            case .none: continue
            case .some(.none): return
            case .some(.some(let job)): job.take()?(.run)
            }
        }
    }
}
