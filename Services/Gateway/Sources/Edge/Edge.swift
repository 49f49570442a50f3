import MusterHTTP

/// The Gateway's edge — access log, security headers, path guard — as one value:
/// the router runs them as middleware around every request it handles, and the
/// proxy path on the event loop (``ProxyRoute/respond(to:reply:)``) takes the
/// same steps by calling them directly, in the same order.
struct Edge: Sendable {
    let accessLog: AccessLog
    let headers: ResponseHeaders
    let pathGuard: PathGuard

    /// Outermost first.
    var middleware: [any Middleware] { [accessLog, headers, pathGuard] }

    /// What the edge answers by itself before any route: a CORS preflight, a
    /// refused path, a redirect to HTTPS.
    func answerBeforeRouting(_ request: HTTPRequest, allowedOrigin: String?) -> HTTPResponse? {
        if let preflight = headers.preflight(request, allowedOrigin: allowedOrigin) { return preflight }
        do { return try pathGuard.check(request) } catch { return error.response(requestID: request.id) }
    }

    /// The response as the client gets it: decorated, then logged.
    func finish(_ response: consuming HTTPResponse, for request: HTTPRequest, allowedOrigin: String?,
                started: ContinuousClock.Instant) -> HTTPResponse {
        accessLog.finish(headers.decorate(response, for: request, allowedOrigin: allowedOrigin), for: request, started: started)
    }
}
