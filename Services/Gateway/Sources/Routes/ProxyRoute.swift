import Foundation
import MusterAuth
import MusterCore
import MusterHTTP
import MusterService
import MusterTime

/// What no route of the Gateway's own matches: a public API path goes to its
/// service (token checked and rate limits taken first), any other `GET` to the web app.
///
/// A proxied request is served on the event loop that received it, as a
/// ``LoopResponder``: the edge's steps, the token check, the limits and the
/// exchange with the upstream run there without a task. What it declines — the
/// web app, unknown paths, a token whose signing key must first be fetched —
/// reaches ``handle(_:)`` through the router's middleware, which does the same.
struct ProxyRoute: LoopResponder {
    let routes: RouteTable
    let proxy: ServiceProxy
    let userAuth: UserAuthMiddleware
    let limits: RateLimits?
    let webApp: WebApp
    let edge: Edge

    func respond(to request: HTTPRequest, reply: LoopReply) -> Bool {
        let started = MonotonicInstant.now
        guard let route = routes.match(request.path) else { return false }
        let allowedOrigin = edge.headers.allowedOrigin(of: request)
        if let early = edge.answerBeforeRouting(request, allowedOrigin: allowedOrigin) {
            edge.answer(.success(early), to: request, through: reply, allowedOrigin: allowedOrigin, started: started)
            return true
        }
        request.context.notes.note { $0.route = route.label }
        var user: UserPrincipal?
        if route.requiresToken {
            guard let outcome = userAuth.authenticateNow(request) else { return false }
            switch outcome {
            case .success(let verified):
                user = verified
            case .failure(let refusal):
                edge.answer(.failure(refusal), to: request, through: reply, allowedOrigin: allowedOrigin, started: started)
                return true
            }
        }
        do {
            proxy.start(request, route: route, adding: try admit(request, route: route, user: user),
                        then: .reply(reply, edge: edge, allowedOrigin: allowedOrigin, started: started))
        } catch {
            edge.answer(.failure(error), to: request, through: reply, allowedOrigin: allowedOrigin, started: started)
        }
        return true
    }

    nonisolated(nonsending) func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let route = routes.match(request.path) else {
            guard request.method == .get || request.method == .head, let page = webApp.response(for: request.path, acceptsGzip: Self.acceptsGzip(request)) else {
                throw HTTPError.notFound("route")
            }
            return page
        }
        request.context.notes.note { $0.route = route.label }
        let user = route.requiresToken ? try await userAuth.authenticate(request) : nil
        return try await proxy.forward(request, route: route, adding: try admit(request, route: route, user: user))
    }

    /// Whether `Accept-Encoding` lists gzip with a weight above zero.
    static func acceptsGzip(_ request: HTTPRequest) -> Bool {
        guard let accepted = request.headers["Accept-Encoding"] else { return false }
        return accepted.split(separator: ",").contains { member in
            let parts = member.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return parts.first == "gzip" && weight > 0
        }
    }

    /// Takes the request's rate-limit tokens: per user (and agency) behind a
    /// token, per client address on the auth routes; the `RateLimit-*` fields the
    /// response carries, or the `429`.
    private func admit(_ request: HTTPRequest, route: RouteTable.Route, user: UserPrincipal?) throws(HTTPError) -> HTTPHeaders {
        guard let limits else { return HTTPHeaders() }
        if let user {
            try limits.admit(user: user)
            return HTTPHeaders()
        }
        guard route.limitedPerAddress else { return HTTPHeaders() }
        let client = ClientAddress.resolve(peer: request.context.peerAddress, forwardedFor: request.headers[InternalHeaders.forwardedFor],
                                           trusted: proxy.trustedProxies)
        return try limits.admit(address: client)
    }
}
