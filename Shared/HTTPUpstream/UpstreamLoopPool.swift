import MusterHTTP
import MusterHTTPServer

/// One loop's idle keep-alive connections to each upstream endpoint, most
/// recently used first. Confined to its loop's thread, like the connections (and,
/// like them, unchecked for exclusivity at run time).
final class UpstreamLoopPool {
    let connectTimeout: Int64
    let idleTimeout: Int64
    let bufferedBodyLimit: Int
    private let maxIdlePerEndpoint: Int
    /// One entry per endpoint used from this loop. A list, not a dictionary: it is
    /// read twice per exchange, and hashing an endpoint hashes its URL, while the
    /// same endpoint's URL compares equal at once (the same string storage). A
    /// class per endpoint, so that taking a connection edits its list in place.
    @exclusivity(unchecked) private var idle: [IdleConnections] = []

    private final class IdleConnections {
        let endpoint: UpstreamEndpoint
        @exclusivity(unchecked) var connections: [UpstreamConnection] = []

        init(endpoint: UpstreamEndpoint) {
            self.endpoint = endpoint
        }
    }

    private func list(for endpoint: UpstreamEndpoint) -> IdleConnections? {
        idle.first { $0.endpoint == endpoint }
    }

    init(configuration: UpstreamClient.Configuration) {
        connectTimeout = configuration.connectTimeout.nanoseconds
        idleTimeout = configuration.idleTimeout.nanoseconds
        bufferedBodyLimit = configuration.bufferedBodyLimit
        maxIdlePerEndpoint = configuration.maxIdlePerEndpoint
    }

    /// A reusable connection to `endpoint`, or a new one being connected.
    func connection(to endpoint: UpstreamEndpoint, _ context: LoopContext) throws(UpstreamError) -> UpstreamConnection {
        if let list = list(for: endpoint) {
            while let connection = list.connections.popLast() {
                if connection.isOpen { return connection }
            }
        }
        return try UpstreamConnection.connect(to: endpoint, pool: self, context)
    }

    func release(_ connection: UpstreamConnection, _ context: LoopContext) {
        let list = list(for: connection.endpoint) ?? {
            let list = IdleConnections(endpoint: connection.endpoint)
            idle.append(list)
            return list
        }()
        guard list.connections.count < maxIdlePerEndpoint else {
            connection.close(context)
            return
        }
        list.connections.append(connection)
    }

    /// An idle connection closed (the upstream hung up, or its idle time ran out).
    func forget(_ connection: UpstreamConnection) {
        list(for: connection.endpoint)?.connections.removeAll { $0 === connection }
    }
}
