import MusterCore
import MusterHTTP
import Synchronization

extension HTTPServer {
    /// Connection counts at one moment.
    public struct Statistics: Sendable, Equatable {
        /// Connections open now.
        public var openConnections: Int
        /// Connections accepted since `start()`.
        public var acceptedConnections: Int
    }
}

/// Counters the loops update and anyone may read.
final class ServerCounters: Sendable {
    let openConnections = Atomic<Int>(0)
    let acceptedConnections = Atomic<Int>(0)
    /// Open connections per client address, kept only when a per-address limit is set.
    private let perAddress = Mutex<[String: Int]>([:])

    func connectionOpened() {
        openConnections.wrappingAdd(1, ordering: .relaxed)
        acceptedConnections.wrappingAdd(1, ordering: .relaxed)
    }

    func connectionClosed() {
        openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Counts a new connection from `address` unless it already has `limit` open.
    func admit(_ address: String, limit: Int) -> Bool {
        perAddress.withLock { counts in
            let open = counts[address, default: 0]
            guard open < limit else { return false }
            counts[address] = open + 1
            return true
        }
    }

    func release(_ address: String) {
        perAddress.withLock { counts in
            let open = (counts[address] ?? 1) - 1
            counts[address] = open > 0 ? open : nil
        }
    }

    var snapshot: HTTPServer.Statistics {
        HTTPServer.Statistics(openConnections: openConnections.load(ordering: .relaxed),
                              acceptedConnections: acceptedConnections.load(ordering: .relaxed))
    }
}
