import MusterCore

/// Routes requests by method and path template to handlers, with middleware.
///
/// Templates are literal segments and `{name}` parameters. Build the router at
/// start-up, then serve the immutable responder it builds:
///
/// ```swift
/// let router = Router()
/// router.use(RequestLogging())
/// router.get("/api/v1/users/{id}") { request in
///     let id = try request.context.parameters.uuid("id")
///     …
/// }
/// router.group("/internal", middleware: [serviceAuth]) { internal in
///     internal.put("/agencies/{id}") { … }
/// }
/// let responder = router.build()
/// ```
public final class Router {
    public struct RouteInfo: Sendable, Hashable {
        public let method: HTTPMethod
        public let template: String
    }

    fileprivate struct Registration {
        let method: HTTPMethod
        let template: String
        let bodyLimit: Int
        let middleware: [any Middleware]
        let answer: RoutingResponder.Route.Answer
    }

    private var registrations: [Registration] = []
    private var globalMiddleware: [any Middleware] = []
    private var fallbackHandler: Handler?
    private var fallbackBodyLimit: (@Sendable (HTTPMethod, Substring) -> Int)?
    private var loopFallback: (any LoopResponder)?

    public init() {}

    /// Middleware that runs for every request, matched or not (outermost first). It sees
    /// `request.context.route` already set to the matched template (or `unmatched`).
    public func use(_ middleware: any Middleware) { globalMiddleware.append(middleware) }

    public func on(_ method: HTTPMethod, _ template: String, bodyLimit: Int = BodyLimit.default,
                   middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        precondition(template.hasPrefix("/"), "route templates start with /")
        registrations.append(Registration(method: method, template: template, bodyLimit: bodyLimit,
                                          middleware: middleware, answer: .handler(handler)))
    }

    public func get(_ template: String, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        on(.get, template, middleware: middleware, handler)
    }
    public func post(_ template: String, bodyLimit: Int = BodyLimit.default, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        on(.post, template, bodyLimit: bodyLimit, middleware: middleware, handler)
    }
    public func put(_ template: String, bodyLimit: Int = BodyLimit.default, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        on(.put, template, bodyLimit: bodyLimit, middleware: middleware, handler)
    }
    public func patch(_ template: String, bodyLimit: Int = BodyLimit.default, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        on(.patch, template, bodyLimit: bodyLimit, middleware: middleware, handler)
    }
    public func delete(_ template: String, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        on(.delete, template, middleware: middleware, handler)
    }

    /// A route that always gives the same response, answered on the server's loop
    /// as soon as the request is parsed, like nginx's `return`: no handler task and
    /// no middleware run for it (so it is not counted in request metrics), and a
    /// request body is refused (`413`).
    ///
    /// ```swift
    /// router.fixed(.get, "/ping", .jsonBytes(Array(#"{"status":"ok"}"#.utf8)))
    /// ```
    public func fixed(_ method: HTTPMethod, _ template: String, _ response: HTTPResponse) {
        precondition(template.hasPrefix("/"), "route templates start with /")
        registrations.append(Registration(method: method, template: template, bodyLimit: 0, middleware: [],
                                          answer: .fixed(FixedResponse(response))))
    }

    /// Answers requests that match no route (instead of `404`/`405`), inside the global
    /// middleware: the Gateway's proxy and static files.
    /// `bodyLimit` gives the largest body the fallback accepts for a method and
    /// path (the Gateway's limit per proxied route); the default limit otherwise.
    /// `onLoop` is offered such a request first, on the server's loop and outside
    /// the middleware; what it declines goes to `handler` (see ``LoopResponder``).
    public func fallback(bodyLimit: (@Sendable (HTTPMethod, Substring) -> Int)? = nil, onLoop: (any LoopResponder)? = nil,
                         _ handler: @escaping Handler) {
        fallbackHandler = handler
        fallbackBodyLimit = bodyLimit
        loopFallback = onLoop
    }

    /// Registers routes under `prefix`, each wrapped by `middleware` (inside the global middleware).
    public func group(_ prefix: String, middleware: [any Middleware] = [], _ build: (RouteGroup) -> Void) {
        build(RouteGroup(router: self, prefix: prefix, middleware: middleware))
    }

    /// Every registered route (for the OpenAPI check and documentation).
    public var routes: [RouteInfo] { registrations.map { RouteInfo(method: $0.method, template: $0.template) } }

    /// The immutable, thread-safe responder serving these routes.
    public func build() -> RoutingResponder {
        let root = RouteNode()
        for registration in registrations {
            var node = root
            for segment in PathSegments(registration.template[...]) {
                if segment.hasPrefix("{"), segment.hasSuffix("}") {
                    let name = String(segment.dropFirst().dropLast())
                    if node.parameter == nil { node.parameter = (name, RouteNode()) }
                    precondition(node.parameter!.name == name, "conflicting parameter names at \(registration.template)")
                    node = node.parameter!.node
                } else {
                    let key = String(segment)
                    if let next = node.literals[key] {
                        node = next
                    } else {
                        let next = RouteNode()
                        node.literals[key] = next
                        node = next
                    }
                }
            }
            precondition(!node.routes.contains { $0.method == registration.method },
                         "duplicate route \(registration.method) \(registration.template)")
            var answer = registration.answer
            if case .handler(let handler) = answer {
                // Composed once here, so a request pays no composition cost.
                answer = .handler((globalMiddleware + registration.middleware).wrap(handler))
            }
            node.routes.append((registration.method, RoutingResponder.Route(
                label: "\(registration.method.rawValue) \(registration.template)", bodyLimit: registration.bodyLimit, answer: answer)))
        }
        let hasFixedRoutes = registrations.contains { if case .fixed = $0.answer { true } else { false } }
        return RoutingResponder(root: root.freeze(), hasFixedRoutes: hasFixedRoutes, middleware: globalMiddleware,
                                fallback: fallbackHandler, fallbackBodyLimit: fallbackBodyLimit, loopFallback: loopFallback,
                                routes: routes)
    }
}

/// Routes registered under a common prefix and middleware.
public struct RouteGroup {
    fileprivate let router: Router
    fileprivate let prefix: String
    fileprivate let middleware: [any Middleware]

    public func on(_ method: HTTPMethod, _ template: String, bodyLimit: Int = BodyLimit.default, _ handler: @escaping Handler) {
        router.on(method, prefix + template, bodyLimit: bodyLimit, middleware: middleware, handler)
    }
    public func get(_ template: String, _ handler: @escaping Handler) { on(.get, template, handler) }
    public func post(_ template: String, bodyLimit: Int = BodyLimit.default, _ handler: @escaping Handler) {
        on(.post, template, bodyLimit: bodyLimit, handler)
    }
    public func put(_ template: String, bodyLimit: Int = BodyLimit.default, _ handler: @escaping Handler) {
        on(.put, template, bodyLimit: bodyLimit, handler)
    }
    public func patch(_ template: String, bodyLimit: Int = BodyLimit.default, _ handler: @escaping Handler) {
        on(.patch, template, bodyLimit: bodyLimit, handler)
    }
    public func delete(_ template: String, _ handler: @escaping Handler) { on(.delete, template, handler) }

    public func group(_ prefix: String, middleware: [any Middleware] = [], _ build: (RouteGroup) -> Void) {
        build(RouteGroup(router: router, prefix: self.prefix + prefix, middleware: self.middleware + middleware))
    }
}

/// Mutable trie used while building; frozen into `RoutingResponder.Node` for serving.
private final class RouteNode {
    var literals: [String: RouteNode] = [:]
    var parameter: (name: String, node: RouteNode)?
    var routes: [(method: HTTPMethod, route: RoutingResponder.Route)] = []

    func freeze() -> RoutingResponder.Node {
        RoutingResponder.Node(literals: RouteLiterals(literals.mapValues { $0.freeze() }),
                              parameter: parameter.map { ($0.name, $0.node.freeze()) }, routes: routes)
    }
}

/// The segments of a path after its leading `/`, without allocating: `/a//b` is `a`, ``, `b`.
struct PathSegments: Sequence, IteratorProtocol {
    private var rest: Substring?

    init(_ path: Substring) {
        rest = path.utf8.first == UInt8(ascii: "/") ? path.dropFirst() : nil
    }

    mutating func next() -> Substring? {
        guard let text = rest else { return nil }
        guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else {
            rest = nil
            return text
        }
        rest = text[text.utf8.index(after: slash)...]
        return text[..<slash]
    }
}

/// The serving side of a `Router`: immutable and `Sendable`.
public struct RoutingResponder: HTTPResponder {
    /// A class: a match hands one reference around instead of copying five fields.
    final class Route: Sendable {
        enum Answer: Sendable {
            /// The handler, wrapped in its middleware.
            case handler(Handler)
            /// A constant response given on the loop (``Router/fixed(_:_:_:)``).
            case fixed(FixedResponse)
        }

        let label: String
        let bodyLimit: Int
        let answer: Answer

        init(label: String, bodyLimit: Int, answer: Answer) {
            self.label = label
            self.bodyLimit = bodyLimit
            self.answer = answer
        }
    }

    /// A class so that walking the trie moves one reference, not a struct of collections.
    final class Node: Sendable {
        let literals: RouteLiterals
        let parameter: (name: String, node: Node)?
        /// A handful per path at most: a scan beats hashing the method.
        let routes: [(method: HTTPMethod, route: Route)]

        init(literals: RouteLiterals, parameter: (name: String, node: Node)?, routes: [(method: HTTPMethod, route: Route)]) {
            self.literals = literals
            self.parameter = parameter
            self.routes = routes
        }

        func route(for method: HTTPMethod) -> Route? {
            for entry in routes where entry.method == method { return entry.route }
            return nil
        }

        /// The route answering `method` here: its own, or for `HEAD` the `GET` route.
        func route(answering method: HTTPMethod) -> Route? {
            route(for: method) ?? (method == .head ? route(for: .get) : nil)
        }
    }

    private let root: Node
    /// Some route is fixed: only then does ``fixedResponse(method:path:)`` walk the trie.
    private let hasFixedRoutes: Bool
    /// Global middleware around the fallback, or the `404`/`405` answer, for requests no route matches.
    private let unmatched: Route
    private let unmatchedBodyLimit: (@Sendable (HTTPMethod, Substring) -> Int)?
    private let loopFallback: (any LoopResponder)?
    public let routes: [Router.RouteInfo]

    init(root: Node, hasFixedRoutes: Bool, middleware: [any Middleware], fallback: Handler?,
         fallbackBodyLimit: (@Sendable (HTTPMethod, Substring) -> Int)?, loopFallback: (any LoopResponder)?,
         routes: [Router.RouteInfo]) {
        self.root = root
        self.loopFallback = loopFallback
        self.hasFixedRoutes = hasFixedRoutes
        self.routes = routes
        self.unmatchedBodyLimit = fallbackBodyLimit
        let handler = middleware.wrap(fallback ?? { request in
            if case .wrongMethod(let allowed) = Self.match(request.path, method: request.method, root: root) {
                var error = HTTPError(.methodNotAllowed, code: "method_not_allowed",
                                      message: "\(request.method.rawValue) is not allowed here.")
                error.headers.add("Allow", allowed.map(\.rawValue).sorted().joined(separator: ", "))
                throw error
            }
            throw HTTPError(.notFound, code: "not_found", message: "No such route.")
        })
        self.unmatched = Route(label: "unmatched", bodyLimit: BodyLimit.default, answer: .handler(handler))
    }

    /// Matches on the server's loop, before the handler's task starts, while the
    /// request has a single owner: recording the match then costs no copy.
    public func resolve(_ request: inout HTTPRequest) -> HTTPResponse? {
        guard request.context.matched == nil else { return nil }
        guard case .found(let route, let parameters) = Self.match(request.path, method: request.method, root: root) else {
            request.context.route = unmatched.label
            request.context.matched = unmatched
            return nil
        }
        switch route.answer {
        case .fixed(let fixed):
            return fixed.response
        case .handler:
            request.context.route = route.label
            request.context.parameters = parameters
            request.context.matched = route
            return nil
        }
    }

    /// An unmatched request goes to the loop fallback first, when there is one.
    public func respondOnLoop(_ request: HTTPRequest, reply: LoopReply) -> Bool {
        guard let loopFallback, request.context.matched === unmatched else { return false }
        return loopFallback.respond(to: request, reply: reply)
    }

    /// The same walk as `resolve`'s, so the same answer; a router without fixed routes skips it.
    public func fixedResponse(method: HTTPMethod, path: Substring) -> FixedResponse? {
        guard hasFixedRoutes, case .found(let route, _) = Self.match(path, method: method, root: root),
              case .fixed(let fixed) = route.answer else { return nil }
        return fixed
    }

    public nonisolated(nonsending) func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        if request.context.matched == nil, let fixed = resolve(&request) { return fixed }
        // Taken from the enum where it is called: an optional closure would cost a conversion thunk per call.
        guard case .handler(let handler) = request.context.matched?.answer else { preconditionFailure("resolve matched no handler") }
        return try await handler(request)
    }

    public func bodyLimit(method: HTTPMethod, path: Substring) -> Int {
        guard case .found(let route, _) = Self.match(path, method: method, root: root) else {
            return unmatchedBodyLimit?(method, path) ?? BodyLimit.default
        }
        return route.bodyLimit
    }

    enum Match {
        case found(Route, [String: String])
        case wrongMethod([HTTPMethod])
        case notFound
    }

    /// Walks the trie over the path's bytes: segments are compared in place and
    /// nodes are not retained on the way (the root keeps them all alive).
    static func match(_ path: Substring, method: HTTPMethod, root: Node) -> Match {
        withExtendedLifetime(root) {
            path.withUTF8Bytes { bytes in
                var node = Unmanaged.passUnretained(root)
                var parameters: [String: String] = [:]
                // Like `PathSegments`: a path that does not start with `/` has no segments.
                var start = bytes.first == UInt8(ascii: "/") ? 1 : bytes.count + 1
                while start <= bytes.count {
                    var end = start
                    while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
                    let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    guard let next = node._withUnsafeGuaranteedRef({ $0.literals.child(segment) })
                            ?? parameterChild(of: node, segment, into: &parameters) else { return .notFound }
                    node = next
                    start = end + 1
                }
                return node._withUnsafeGuaranteedRef { found($0, method: method, parameters: parameters) }
            }
        }
    }

    /// The node's parameter child, recording the segment's decoded value under its name.
    private static func parameterChild(of node: Unmanaged<Node>, _ segment: UnsafeBufferPointer<UInt8>,
                                       into parameters: inout [String: String]) -> Unmanaged<Node>? {
        node._withUnsafeGuaranteedRef { node in
            guard let parameter = node.parameter, !segment.isEmpty,
                  let value = PercentDecoding.decode(String(decoding: segment, as: UTF8.self)[...], plusIsSpace: false)
            else { return nil }
            parameters[parameter.name] = value
            return Unmanaged.passUnretained(parameter.node)
        }
    }

    private static func found(_ node: Node, method: HTTPMethod, parameters: [String: String]) -> Match {
        if let route = node.route(answering: method) {
            return .found(route, parameters)
        }
        return node.routes.isEmpty ? .notFound : .wrongMethod(node.routes.map(\.method))
    }
}
