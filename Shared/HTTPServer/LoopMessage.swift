import MusterHTTP

/// Names one connection of one loop; the generation tells a reused file
/// descriptor's new connection from the closed one a late message was meant for.
package struct ConnectionID: Hashable, Sendable {
    let fd: Int32
    let generation: UInt32

    /// Packed into epoll's user data.
    var packed: UInt64 { UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd)) }

    package init(fd: Int32, generation: UInt32) {
        self.fd = fd
        self.generation = generation
    }

    init(packed: UInt64) {
        fd = Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
        generation = UInt32(truncatingIfNeeded: packed >> 32)
    }
}

/// Names one request on a connection: its place in the response order.
struct ResponseTicket: Sendable {
    let connection: ConnectionID
    let sequence: UInt64
}

/// What tasks hand to an event loop; the loop applies it on its own thread.
enum LoopMessage: Sendable {
    /// A handler's response. A streamed body's chunks follow as `.chunk` messages.
    case response(ResponseTicket, HTTPResponse)
    /// One chunk of a streamed body; the loop resumes the continuation once the
    /// chunk is queued for the socket and the connection has room for more.
    case chunk(ResponseTicket, [UInt8], CheckedContinuation<Void, any Error>)
    /// The end of a streamed body; a failed stream closes the connection mid-body
    /// so that the client sees a truncated response rather than a complete one.
    case streamEnd(ResponseTicket, succeeded: Bool)
    /// Stop accepting, finish what is in flight until the deadline, then stop.
    case shutdown(graceDeadline: Int64)
}

/// Thrown to a streaming task whose connection has gone.
struct ConnectionClosedError: Error {}
