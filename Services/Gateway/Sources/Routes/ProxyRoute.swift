import MusterAuth
import MusterCore
import MusterHTTP
import MusterService

/// The fallback of the Gateway's router: a public API path goes to its service
/// (token checked and rate limits taken first), any other `GET` to the web app.
struct ProxyRoute: Sendable {
    let routes: RouteTable
    let proxy: ServiceProxy
    let userAuth: UserAuthMiddleware
    let limits: RateLimits?
    let webApp: WebApp

    nonisolated(nonsending) func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let route = routes.match(request.path) else {
            guard request.method == .get || request.method == .head, let page = webApp.response(for: request.path) else {
                throw HTTPError.notFound("route")
            }
            return page
        }
        request.context.notes.note { $0.route = route.label }
        if route.requiresToken {
            return try await userAuth.handle(request) { request in
                guard let user = request.context.principal?.user else { throw HTTPError.unauthorized() }
                try limits?.admit(user: user)
                return try await proxy.forward(request, route: route)
            }
        }
        guard route.limitedPerAddress, let limits else { return try await proxy.forward(request, route: route) }
        let client = ClientAddress.resolve(peer: request.context.peerAddress, forwardedFor: request.headers[InternalHeaders.forwardedFor],
                                           trusted: proxy.trustedProxies)
        let rateHeaders = try limits.admit(address: client)
        var response = try await proxy.forward(request, route: route)
        for field in rateHeaders { response.headers[field.name] = field.value }
        return response
    }
}
