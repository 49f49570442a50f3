/// One loop's idle keep-alive connections to each upstream endpoint, most
/// recently used first. Confined to its loop's thread, like the connections.
final class UpstreamLoopPool {
    let connectTimeout: Int64
    let idleTimeout: Int64
    let bufferedBodyLimit: Int
    private let maxIdlePerEndpoint: Int
    private var idle: [UpstreamEndpoint: [UpstreamConnection]] = [:]

    init(configuration: UpstreamClient.Configuration) {
        connectTimeout = configuration.connectTimeout.nanoseconds
        idleTimeout = configuration.idleTimeout.nanoseconds
        bufferedBodyLimit = configuration.bufferedBodyLimit
        maxIdlePerEndpoint = configuration.maxIdlePerEndpoint
    }

    /// A reusable connection to `endpoint`, or a new one being connected.
    func connection(to endpoint: UpstreamEndpoint, _ context: LoopContext) throws(UpstreamError) -> UpstreamConnection {
        while let connection = idle[endpoint]?.popLast() {
            if connection.isOpen { return connection }
        }
        return try UpstreamConnection.connect(to: endpoint, pool: self, context)
    }

    func release(_ connection: UpstreamConnection, _ context: LoopContext) {
        guard (idle[connection.endpoint]?.count ?? 0) < maxIdlePerEndpoint else {
            connection.close(context)
            return
        }
        idle[connection.endpoint, default: []].append(connection)
    }

    /// An idle connection closed (the upstream hung up, or its idle time ran out).
    func forget(_ connection: UpstreamConnection) {
        idle[connection.endpoint]?.removeAll { $0 === connection }
    }
}
