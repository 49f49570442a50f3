import MusterCore

/// Per-request state: set by the server (request id, peer address), the router
/// (route template, path parameters) and middleware (the verified caller).
public struct RequestContext: Sendable {
    public var requestID: String
    /// The TCP peer's address (the socket's, never a header's).
    public var peerAddress: String
    /// The client's address: the peer's, or `X-Forwarded-For`'s first hop when the
    /// request came from the Gateway with its service credential.
    public var clientAddress: String
    /// The matched route, e.g. `GET /api/v1/users/{id}` (used for metrics and logs).
    public var route: String
    public var parameters: [String: String]
    /// The verified caller, once an auth middleware has run.
    public var principal: Principal?
    public var logger: Logger
    /// What inner layers note for the outer ones (the agency, a proxy's upstream).
    public let notes = RequestNotes()
    /// The request came over TLS (set by the server from its connection).
    public var isSecure: Bool
    /// What the request's client connection remembers across its requests (set by the server).
    public internal(set) var connection: ConnectionMemory?
    /// The event loop serving the request, for work that stays on it (``UpstreamClient``).
    var loop: EventLoop?
    /// The route the router matched (its handler wrapped in middleware), set by `RoutingResponder.resolve`.
    var matched: RoutingResponder.Route?

    public init(requestID: String = RequestID.generate(), peerAddress: String = "", route: String = "",
                parameters: [String: String] = [:], principal: Principal? = nil,
                logger: Logger = Logger(service: "muster"), isSecure: Bool = false) {
        self.requestID = requestID
        self.peerAddress = peerAddress
        self.clientAddress = peerAddress
        self.route = route
        self.parameters = parameters
        self.principal = principal
        self.logger = logger
        self.isSecure = isSecure
    }

    /// The calling user, or `401` when the request carries none.
    public func requireUser() throws(HTTPError) -> UserPrincipal {
        guard let user = principal?.user else { throw .unauthorized() }
        return user
    }

    /// The calling user holding at least one of `roles`, else `403`.
    public func requireUser(anyOf roles: Set<Role>) throws(HTTPError) -> UserPrincipal {
        let user = try requireUser()
        guard !user.roles.isDisjoint(with: roles) else {
            throw HTTPError(.forbidden, code: "forbidden", message: "Your role does not allow this.")
        }
        return user
    }
}
