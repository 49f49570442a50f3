import MusterCore
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

    func connectionOpened() {
        openConnections.wrappingAdd(1, ordering: .relaxed)
        acceptedConnections.wrappingAdd(1, ordering: .relaxed)
    }

    func connectionClosed() {
        openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    var snapshot: HTTPServer.Statistics {
        HTTPServer.Statistics(openConnections: openConnections.load(ordering: .relaxed),
                              acceptedConnections: acceptedConnections.load(ordering: .relaxed))
    }
}
