import MusterCore

/// Per-request state: set by the server (request id, peer address), the router
/// (route template, path parameters) and middleware (``extensions``: the verified
/// caller, what a middleware already loaded). It knows no users: who the caller
/// is, is the auth layer's extension (`MusterAuth`'s `principal`).
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
    /// What outer middleware hands the layers inside it, by typed key.
    public var extensions = RequestExtensions()
    public var logger: Logger
    /// What inner layers note for the outer ones (the agency, a proxy's upstream).
    public let notes = RequestNotes()
    /// The request came over TLS (set by the server from its connection).
    public var isSecure: Bool
    /// What the request's client connection remembers across its requests (set by the server).
    public package(set) var connection: ConnectionMemory?
    /// The server's event loop serving the request, for work that stays on it (the
    /// upstream client); opaque here, since the server is a module above this one.
    package var loop: (any AnyObject & Sendable)?
    /// The route the router matched (its handler wrapped in middleware), set by `RoutingResponder.resolve`.
    var matched: RoutingResponder.Route?

    public init(requestID: String = RequestID.generate(), peerAddress: String = "", route: String = "",
                parameters: [String: String] = [:], logger: Logger = Logger(service: "muster"), isSecure: Bool = false) {
        self.requestID = requestID
        self.peerAddress = peerAddress
        self.clientAddress = peerAddress
        self.route = route
        self.parameters = parameters
        self.logger = logger
        self.isSecure = isSecure
    }
}
