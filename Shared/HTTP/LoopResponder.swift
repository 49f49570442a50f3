/// Answers requests on the server's event loop itself, without a handler task:
/// for work whose waiting is done by the loop anyway (a proxy whose upstream
/// connections live on it, ``UpstreamClient``), a task's resumptions and the
/// async middleware chain cost more than the work.
///
/// Set as a router's loop fallback (``Router/fallback(bodyLimit:onLoop:_:)``),
/// it is offered every request no route matches. It runs outside the router's
/// middleware, so it does itself whatever they would do; a request it declines
/// (`false`) goes to the fallback handler as usual, through the middleware.
///
/// ```swift
/// struct Echo: LoopResponder {
///     func respond(to request: HTTPRequest, reply: LoopReply) -> Bool {
///         reply.send(HTTPResponse(status: .ok, body: .bytes(request.body)))
///         return true
///     }
/// }
/// ```
public protocol LoopResponder: Sendable {
    /// Called on the loop's thread. Must not block. Returns `true` when it took the
    /// request and will answer it through `reply` exactly once (at once or later, on
    /// this thread); `false` before it has done anything, to decline.
    func respond(to request: HTTPRequest, reply: LoopReply) -> Bool
}

/// How a ``LoopResponder`` answers: the request's place in its connection's
/// response order, on the loop that serves it. Used on that loop's thread only.
public struct LoopReply {
    /// Unowned: the loop's context outlives whatever answers on its thread.
    unowned let context: LoopContext
    let connection: Connection
    let slot: ResponseSlot

    /// Hands the response to the connection, which writes it at the end of the
    /// loop's turn (in order). A streamed body is then fed to it by a task of this
    /// loop, paced by the client. A connection closed meanwhile takes nothing.
    public func send(_ response: consuming HTTPResponse) {
        guard connection.closing != .now else { return }
        var stream: AsyncThrowingStream<[UInt8], any Error>?
        if case .stream(let body) = response.body, ResponseFraming.sendsBody(method: slot.method, status: response.status) { stream = body.chunks }
        ResponseQueue.complete(slot, with: response)
        context.markDirty(connection)
        guard let stream else { return }
        let (loop, logger) = (context.loop, context.logger)
        let ticket = ResponseTicket(connection: connection.id, sequence: slot.sequence)
        Task.immediate(executorPreference: loop) { await HandlerTask.pump(stream, ticket: ticket, loop: loop, logger: logger) }
    }
}
