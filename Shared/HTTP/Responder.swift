/// Anything that turns a request into a response: a router, a middleware chain, a proxy.
public protocol HTTPResponder: Sendable {
    nonisolated(nonsending) func respond(to request: HTTPRequest) async throws -> HTTPResponse

    /// The largest body accepted for this method and path, consulted by the server
    /// after the headers and before reading a byte of the body (`413` above it).
    func bodyLimit(method: HTTPMethod, path: Substring) -> Int

    /// Called on the server's loop just before the handler's task starts, while
    /// the request has one owner, so that a responder can record what it matched
    /// (route, parameters) without copying the request later. A response returned
    /// here is the answer: no task starts (a route with a fixed response).
    func resolve(_ request: inout HTTPRequest) -> HTTPResponse?

    /// The constant answer of a fixed route (``Router/fixed(_:_:_:)``) for this
    /// method and path, asked by the server right after the request line: such a
    /// request is answered without building it, or its header fields (nginx's `return`).
    func fixedResponse(method: HTTPMethod, path: Substring) -> FixedResponse?

    /// Offered each request after `resolve`, on the server's loop: `true` when a
    /// ``LoopResponder`` took it and answers through `reply`; no task starts then.
    func respondOnLoop(_ request: HTTPRequest, reply: LoopReply) -> Bool
}

extension HTTPResponder {
    public func resolve(_ request: inout HTTPRequest) -> HTTPResponse? { nil }
    public func bodyLimit(method: HTTPMethod, path: Substring) -> Int { BodyLimit.default }
    public func fixedResponse(method: HTTPMethod, path: Substring) -> FixedResponse? { nil }
    public func respondOnLoop(_ request: HTTPRequest, reply: LoopReply) -> Bool { false }
}

public enum BodyLimit {
    /// 1 MiB, unless a route says otherwise.
    public static let `default` = 1 << 20
}

/// A handler closure: the shape of every route.
public typealias Handler = nonisolated(nonsending) @Sendable (HTTPRequest) async throws -> HTTPResponse

/// A responder made from a closure.
public struct ClosureResponder: HTTPResponder {
    let handler: Handler
    public init(_ handler: @escaping Handler) { self.handler = handler }
    public nonisolated(nonsending) func respond(to request: HTTPRequest) async throws -> HTTPResponse { try await handler(request) }
}
