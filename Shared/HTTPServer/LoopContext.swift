import MusterCore
import MusterHTTP
import MusterTime

/// What the connections of one loop share: configuration, the responder, the
/// clock, caches and the loop's bookkeeping. Lives and dies on the loop's thread.
///
/// What every request uses skips the run-time exclusivity check (as in
/// `Connection`): each access is a short one on the loop's thread, calling nothing.
package final class LoopContext {
    package let loop: EventLoop
    let responder: any HTTPResponder
    let configuration: HTTPServer.Configuration
    let parser: RequestHeadParser
    let logger: Logger
    let tls: TLSContext?
    /// Every read lands here first; one buffer per loop instead of one per connection.
    package let scratch: UnsafeMutableRawBufferPointer
    let headerTimeout: Int64
    let bodyTimeout: Int64
    let idleTimeout: Int64
    /// How long a closing connection keeps draining what the client still sends,
    /// so that the kernel does not answer it with a reset that destroys our response.
    let lingerTimeout: Int64
    /// Bytes a closing connection drains before giving up on a clean close.
    static let lingerBytes = 1 << 20

    package var now = MonotonicInstant.now.nanoseconds
    @exclusivity(unchecked) var date = HTTPDateCache()
    @exclusivity(unchecked) var requestIDs = RequestIDGenerator()
    @exclusivity(unchecked) var deadlines = DeadlineHeap()
    /// Connections touched this turn, to be written and settled at its end.
    @exclusivity(unchecked) private(set) var dirty: [Connection] = []
    /// Channels (upstream sockets) by file descriptor; see `LoopChannel.swift`.
    @exclusivity(unchecked) var channels: [ChannelSlot?] = []
    var nextChannelGeneration: UInt32 = 0
    /// Per-loop state of components running on this loop, by their identity: a
    /// list (there are one or two), searched without hashing on every proxied request.
    var locals: [(key: ObjectIdentifier, value: AnyObject)] = []

    init(loop: EventLoop, responder: any HTTPResponder, configuration: HTTPServer.Configuration, logger: Logger,
         tls: TLSContext?) {
        self.loop = loop
        self.responder = responder
        self.configuration = configuration
        self.parser = RequestHeadParser(maxFields: configuration.maxHeaderFields)
        self.logger = logger
        self.tls = tls
        scratch = .allocate(byteCount: 64 * 1024, alignment: 16)
        headerTimeout = configuration.headerTimeout.nanoseconds
        bodyTimeout = configuration.bodyTimeout.nanoseconds
        idleTimeout = configuration.idleTimeout.nanoseconds
        lingerTimeout = min(headerTimeout, Duration.seconds(2).nanoseconds)
        date.refresh()
    }

    deinit { scratch.deallocate() }

    func markDirty(_ connection: Connection) {
        guard !connection.isDirty else { return }
        connection.isDirty = true
        dirty.append(connection)
    }

    /// Connections touched since the last hand-over: while there are any, the
    /// loop must not sleep (a connection that resumed reading while being
    /// written has new answers waiting for the next turn, and may wait on no event).
    var hasDirtyConnections: Bool { !dirty.isEmpty }

    /// Hands over this turn's dirty connections, leaving an empty list that keeps its capacity.
    func takeDirty(into connections: inout [Connection]) {
        swap(&connections, &dirty)
    }

    /// Worker tasks of this loop waiting for a request (see `HandlerTask`).
    var idleWorkers: [UnsafeContinuation<HandlerTask.Assignment?, Never>] = []

    /// Starts a request's handler on this loop; the response when it is known at once.
    func startHandler(_ request: consuming HTTPRequest, slot: ResponseSlot, of connection: Connection) -> HTTPResponse? {
        HandlerTask.start(request, slot: slot, of: connection, context: self)
    }

    /// Ends the waiting workers once the loop stops.
    func stopWorkers() {
        for worker in idleWorkers { worker.resume(returning: nil) }
        idleWorkers.removeAll()
    }
}
