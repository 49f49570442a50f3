import Glibc
import MusterHTTP

extension HTTPServer {
    /// Where the server listens and the limits that protect it.
    ///
    /// ```swift
    /// var configuration = HTTPServer.Configuration(host: "0.0.0.0", port: 8080)
    /// configuration.idleTimeout = .seconds(30)
    /// configuration.tls = try .init(certificateChainFile: "/etc/muster/tls/chain.pem",
    ///                               privateKeyFile: "/etc/muster/tls/key.pem")
    /// ```
    public struct Configuration: Sendable {
        /// A numeric address or a host name; `0.0.0.0` or `::` for every interface.
        public var host: String
        /// `0` picks a free port (read it back from `HTTPServer.localPort`).
        public var port: Int
        /// Event-loop threads, each with its own `SO_REUSEPORT` listener; defaults to the core count.
        public var eventLoops: Int
        /// The largest request line plus header block; larger gets `431`.
        public var maxHeaderBytes: Int
        /// The most header fields in one request; more gets `431`.
        public var maxHeaderFields: Int
        /// How long a keep-alive connection may wait for its next request (and a
        /// client may leave a response unread).
        public var idleTimeout: Duration
        /// How long a client has to send a whole header block, from its first byte
        /// (or from connecting): a trickling client is closed when it runs out.
        public var headerTimeout: Duration
        /// How long a client has to send a whole request body, from the end of its headers.
        public var bodyTimeout: Duration
        /// How long `shutdown()` lets requests in flight finish before closing them.
        public var shutdownGrace: Duration
        /// Open connections across all loops; beyond it new connections wait in the backlog.
        public var maxConnections: Int
        /// Open connections from one client address; beyond it a new one is closed at once
        /// (`nil`: no limit). The Gateway sets it; services behind it see only the Gateway.
        public var maxConnectionsPerAddress: Int?
        /// Serve HTTPS instead of plain HTTP.
        public var tls: TLSConfiguration?

        public init(host: String = "127.0.0.1", port: Int = 8080, eventLoops: Int = Configuration.coreCount,
                    maxHeaderBytes: Int = 16 * 1024, maxHeaderFields: Int = 100,
                    idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(10),
                    bodyTimeout: Duration = .seconds(60), shutdownGrace: Duration = .seconds(10),
                    maxConnections: Int = 16_384, maxConnectionsPerAddress: Int? = nil, tls: TLSConfiguration? = nil) {
            self.host = host
            self.port = port
            self.eventLoops = eventLoops
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderFields = maxHeaderFields
            self.idleTimeout = idleTimeout
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.shutdownGrace = shutdownGrace
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.tls = tls
        }

        /// The number of cores this process may run on.
        public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
    }
}
