import Foundation
import Synchronization

/// A pool's event loops, one thread each (as many as cores, at most one per
/// connection), so that reading results is spread like `pgbench -j` spreads
/// its clients over threads. Each connection belongs to one loop.
final class EventLoopGroup: Sendable {
    let loops: [EventLoop]
    private let executorTurn = Atomic<Int>(0)

    init(name: String, maxConnections: Int) throws(PoolError) {
        let count = max(1, min(maxConnections, ProcessInfo.processInfo.activeProcessorCount))
        var loops: [EventLoop] = []
        for index in 0..<count { loops.append(try EventLoop(name: count == 1 ? name : "\(name)-\(index)", index: index)) }
        self.loops = loops
    }

    /// The loop with the fewest connections, for a new one.
    func leastLoaded() -> EventLoop {
        loops.min { $0.connectionCount < $1.connectionCount }!
    }

    /// The loops in turn, so that tasks preferring them spread over all of them.
    func nextExecutor() -> EventLoop {
        loops[executorTurn.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// The loop whose thread is running this code, if any.
    var current: EventLoop? {
        loops.first { $0.isCurrentThread }
    }

    func requestStop() {
        loops.forEach { $0.requestStop() }
    }

    func stop() async {
        for loop in loops { await loop.stop() }
    }
}
