import CLibPQ
import Foundation

/// Opens connections on short-lived dedicated threads: `PQconnectdbParams`
/// blocks for a round trip or more (TLS, SCRAM), so it never runs on the
/// cooperative pool. At most `maxConnections` opens run at once.
struct Connector: Sendable {
    let keywords: [String]
    let values: [String]
    let maxAge: Duration
    let settings: ConnectionMachine.Settings
    let loops: EventLoopGroup

    init(configuration: DatabasePool.Configuration, defaultApplicationName: String, loops: EventLoopGroup) {
        // The URL comes last so that parameters written in it win over these defaults.
        let seconds = max(2, Int(configuration.connectTimeout.components.seconds))
        keywords = ["application_name", "connect_timeout", "client_encoding", "dbname"]
        values = [configuration.applicationName ?? defaultApplicationName, String(seconds), "UTF8", configuration.url]
        maxAge = configuration.maxConnectionAge
        settings = .init(usesPreparedStatements: configuration.usesPreparedStatements,
                         maxPreparedStatements: configuration.maxPreparedStatementsPerConnection)
        self.loops = loops
    }

    /// Opens a connection and registers it with the least busy loop; `completion` runs on the connecting thread.
    func open(_ completion: @escaping @Sendable (Result<Connection, PoolError>) -> Void) {
        let thread = Thread { [self] in
            completion(Result { () throws(PoolError) -> Connection in
                try Connection(handle: try connect(), loop: loops.leastLoaded(), maxAge: maxAge, settings: settings)
            })
        }
        thread.name = "muster-db-connect"
        thread.start()
    }

    private func connect() throws(PoolError) -> PGHandle {
        let pointer = withCStringArray(keywords) { keywords in
            withCStringArray(values) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let pointer else { throw .connectionFailed(reason: "out of memory") }
        let handle = PGHandle(pointer)
        guard PQstatus(pointer) == CONNECTION_OK else { throw .connectionFailed(reason: handle.errorMessage) }
        guard PQsetnonblocking(pointer, 1) == 0, PQenterPipelineMode(pointer) == 1 else {
            throw .connectionFailed(reason: handle.errorMessage)
        }
        // libpq prints notices ("relation already exists, skipping") to stderr by default.
        PQsetNoticeProcessor(pointer, { _, _ in }, nil)
        return handle
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
