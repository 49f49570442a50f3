/// Answers requests on the server's event loop itself, without a handler task:
/// for work whose waiting is done by the loop anyway (a proxy whose upstream
/// connections live on it, `MusterHTTPUpstream`'s `UpstreamClient`), a task's resumptions and the
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
///
/// Only the server makes one; what it holds is the server's (its loop, the
/// connection and the response slot), opaque to this module.
public struct LoopReply {
    /// Unowned: the loop's context outlives whatever answers on its thread.
    unowned let target: any LoopReplyTarget
    let connection: AnyObject
    let slot: AnyObject

    package init(target: any LoopReplyTarget, connection: AnyObject, slot: AnyObject) {
        self.target = target
        self.connection = connection
        self.slot = slot
    }

    /// Hands the response to the connection, which writes it at the end of the
    /// loop's turn (in order). A streamed body is then fed to it by a task of this
    /// loop, paced by the client. A connection closed meanwhile takes nothing.
    public func send(_ response: consuming HTTPResponse) {
        target.send(response, connection: connection, slot: slot)
    }
}

/// The server's side of a ``LoopReply``: the loop that owns the request's
/// connection, given back the connection and slot it put in the reply.
package protocol LoopReplyTarget: AnyObject {
    func send(_ response: consuming HTTPResponse, connection: AnyObject, slot: AnyObject)
}
