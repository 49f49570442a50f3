import Foundation
import MusterCore
import Synchronization
import Testing

@Suite struct BlockingPoolTests {
    @Test func runsOnItsOwnThreadsAndCapsConcurrency() async throws {
        let pool = BlockingPool(name: "cap-test", threads: 2)
        defer { pool.shutdown() }
        let concurrency = Concurrency()
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await pool.run {
                        concurrency.enter()
                        usleep(20_000)
                        concurrency.leave()
                        return kernelThreadName()
                    }
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(concurrency.peak == 2)
        #expect(names.isSubset(of: ["cap-test-1", "cap-test-2"]) && !names.isEmpty, "\(names)")
    }

    @Test func runsInArrivalOrderAndPropagatesErrors() async throws {
        let pool = BlockingPool(name: "fifo-test", threads: 1)
        defer { pool.shutdown() }
        let order = Recorder<Int>()
        let (blocker, gate) = await occupy(pool)
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<5 {
            tasks.append(Task { try await pool.run { order.append(index) } })
            // Enqueue one at a time so arrival order is known.
            while pool.queuedCount < index + 1 { await Task.yield() }
        }
        gate.signal()
        try await blocker.value
        for task in tasks { try await task.value }
        #expect(order.values == [0, 1, 2, 3, 4])

        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await pool.run { throw Boom() } }
    }

    @Test func dropsCancelledQueuedWorkAndRefusesWhenFullOrShutDown() async throws {
        let pool = BlockingPool(name: "refusal-test", threads: 1, maxQueued: 1)
        let (blocker, gate) = await occupy(pool)
        let ran = Recorder<Bool>()
        let queued = Task { try await pool.run { ran.append(true) } }
        while pool.queuedCount < 1 { await Task.yield() }
        await #expect(throws: BlockingPool.Overloaded.self) { try await pool.run { 1 } }

        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        #expect(pool.queuedCount == 0)
        gate.signal()
        try await blocker.value
        #expect(ran.values.isEmpty)

        pool.shutdown()
        await #expect(throws: BlockingPool.ShutDown.self) { try await pool.run { 1 } }
    }
}

/// The running thread's name as the kernel knows it (what `top -H` shows).
private func kernelThreadName() -> String {
    ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
}

/// Occupies the pool's only thread until the returned gate is signalled.
private func occupy(_ pool: BlockingPool) async -> (Task<Void, any Error>, DispatchSemaphore) {
    let gate = DispatchSemaphore(value: 0), started = Recorder<Bool>()
    let blocker = Task {
        try await pool.run {
            started.append(true)
            gate.wait()
        }
    }
    while started.values.isEmpty { await Task.yield() }
    return (blocker, gate)
}

/// How many jobs run at once, and the most seen.
private final class Concurrency: Sendable {
    private let state = Mutex((running: 0, peak: 0))
    func enter() { state.withLock { $0.running += 1; $0.peak = max($0.peak, $0.running) } }
    func leave() { state.withLock { $0.running -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

/// Values appended from any thread, in order.
private final class Recorder<Value: Sendable>: Sendable {
    private let state = Mutex<[Value]>([])
    func append(_ value: Value) { state.withLock { $0.append(value) } }
    var values: [Value] { state.withLock { $0 } }
}
