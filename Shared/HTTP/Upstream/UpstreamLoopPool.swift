/// One loop's idle keep-alive connections to each upstream endpoint, most
/// recently used first. Confined to its loop's thread, like the connections (and,
/// like them, unchecked for exclusivity at run time).
final class UpstreamLoopPool {
    let connectTimeout: Int64
    let idleTimeout: Int64
    let bufferedBodyLimit: Int
    private let maxIdlePerEndpoint: Int
    /// A class per endpoint: taking a connection reads the dictionary and edits the
    /// list in place (editing an array inside a dictionary costs two allocations).
    @exclusivity(unchecked) private var idle: [UpstreamEndpoint: IdleConnections] = [:]

    private final class IdleConnections {
        @exclusivity(unchecked) var connections: [UpstreamConnection] = []
    }

    init(configuration: UpstreamClient.Configuration) {
        connectTimeout = configuration.connectTimeout.nanoseconds
        idleTimeout = configuration.idleTimeout.nanoseconds
        bufferedBodyLimit = configuration.bufferedBodyLimit
        maxIdlePerEndpoint = configuration.maxIdlePerEndpoint
    }

    /// A reusable connection to `endpoint`, or a new one being connected.
    func connection(to endpoint: UpstreamEndpoint, _ context: LoopContext) throws(UpstreamError) -> UpstreamConnection {
        if let list = idle[endpoint] {
            while let connection = list.connections.popLast() {
                if connection.isOpen { return connection }
            }
        }
        return try UpstreamConnection.connect(to: endpoint, pool: self, context)
    }

    func release(_ connection: UpstreamConnection, _ context: LoopContext) {
        let list = idle[connection.endpoint] ?? {
            let list = IdleConnections()
            idle[connection.endpoint] = list
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
        idle[connection.endpoint]?.connections.removeAll { $0 === connection }
    }
}
