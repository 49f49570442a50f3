import Foundation
import MusterCore
import MusterHTTP
import MusterTime
import Synchronization

/// The HTTP/1.1 server every Muster service runs: one epoll event loop per core,
/// each with its own `SO_REUSEPORT` listener, handlers run as tasks on their
/// connection's loop.
///
/// ```swift
/// let router = Router()
/// router.get("/healthz") { _ in .text("ok") }
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 8082),
///                         responder: router.build(), logger: logger)
/// try server.start()
/// logger.info("listening", ["port": String(server.localPort)])
/// try await server.runUntilShutdownSignal()
/// ```
///
/// Every response carries `X-Request-Id` (the client's when well-formed, else a
/// new one). A handler's `HTTPError` becomes its uniform error body; any other
/// error becomes `500 internal_error` and an error log line with the request id.
///
/// How it works: each loop (`EventLoop`, a `TaskExecutor`) owns its connections
/// on its own thread. A handler runs in `Task.immediate(executorPreference:)` on
/// its connection's loop, so it starts without a thread hop and resumes there
/// after every `await`; it hands its response back through the loop's mailbox.
/// Requests are parsed strictly (`400` and close for anything that could make
/// two parsers disagree on framing, `431`, `413` before reading the body),
/// pipelined responses leave in request order, streamed bodies go out chunked
/// with back-pressure, and header, body, idle and send timeouts are enforced.
/// Handlers must not block: blocking work belongs on dedicated threads.
public final class HTTPServer: Sendable {
    public let configuration: Configuration
    private let responder: any HTTPResponder
    private let logger: Logger
    private let counters = ServerCounters()
    private let state = Mutex(State.idle)

    private enum State {
        case idle
        case running(loops: [EventLoop], port: Int)
        case stopped(port: Int)
    }

    public init(configuration: Configuration, responder: some HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }

    /// Binds the listeners and starts the event loops; returns once the server accepts connections.
    public func start() throws {
        // Plain sends use MSG_NOSIGNAL, but OpenSSL writes to the socket itself:
        // a peer that went away must not kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try state.withLock { state in
            guard case .idle = state else { return }
            let loopCount = max(1, configuration.eventLoops)
            let tls = try configuration.tls.map(TLSContext.init)
            let loops = try (0..<loopCount).map { try EventLoop(index: $0) }
            let (sockets, port) = try ListeningSockets.bind(host: configuration.host, port: configuration.port, count: loopCount)
            let perLoopLimit = max(1, (configuration.maxConnections + loopCount - 1) / loopCount)
            for (loop, socket) in zip(loops, sockets) {
                // The runner is built on its own thread: it is confined to it from the start.
                let thread = Thread { [responder, configuration, logger, counters] in
                    let context = LoopContext(loop: loop, responder: responder, configuration: configuration, logger: logger, tls: tls)
                    LoopRunner(context: context, listener: socket, counters: counters, connectionLimit: perLoopLimit).run()
                }
                thread.name = "http-loop-\(loop.index)"
                thread.start()
            }
            state = .running(loops: loops, port: port)
        }
    }

    /// The bound port: the configured one, or the kernel's pick for port 0.
    public var localPort: Int {
        state.withLock { state in
            switch state {
            case .idle: 0
            case .running(_, let port), .stopped(let port): port
            }
        }
    }

    /// Connection counts at this moment.
    ///
    /// ```swift
    /// logger.info("draining", ["open_connections": String(server.statistics.openConnections)])
    /// ```
    public var statistics: Statistics { counters.snapshot }

    /// Adds `http_server_open_connections` and `http_server_connections_total` to `registry`.
    ///
    /// ```swift
    /// server.registerMetrics(in: metrics)   // rendered by GET /metrics
    /// ```
    public func registerMetrics(in registry: MetricsRegistry) {
        registry.addCollector { [counters] in
            let snapshot = counters.snapshot
            return [
                .init(name: "http_server_open_connections", help: "HTTP connections open now",
                      value: Double(snapshot.openConnections)),
                .init(name: "http_server_connections_total", help: "HTTP connections accepted since start",
                      value: Double(snapshot.acceptedConnections)),
            ]
        }
    }

    /// Stops accepting (new connections are refused), lets requests in flight
    /// finish within `configuration.shutdownGrace`, closes every connection, and
    /// returns when all loops have stopped.
    public func shutdown() async {
        let loops = state.withLock { state -> [EventLoop] in
            guard case .running(let loops, let port) = state else { return [] }
            state = .stopped(port: port)
            return loops
        }
        let graceDeadline = MonotonicInstant.now.nanoseconds + configuration.shutdownGrace.nanoseconds
        for loop in loops { loop.post(.shutdown(graceDeadline: graceDeadline)) }
        for loop in loops { await loop.waitUntilStopped() }
    }

    /// Serves until `SIGTERM` or `SIGINT`, then shuts down gracefully and returns
    /// (so that `main` can return and the process exits 0).
    public func runUntilShutdownSignal() async throws {
        let signal = await ShutdownSignal.wait()
        logger.info("shutting down", ["signal": signal])
        await shutdown()
    }
}
