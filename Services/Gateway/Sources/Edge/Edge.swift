import MusterCore
import MusterHTTP
import MusterTime

/// The Gateway's edge — access log, security headers, path guard — as one value:
/// the router runs them as middleware around every request it handles, and the
/// proxy path on the event loop (``ProxyRoute/respond(to:reply:)``) takes the
/// same steps by calling them directly, in the same order. A class: each
/// proxied request holds it until answered, one reference rather than three values.
final class Edge: Sendable {
    let accessLog: AccessLog
    let headers: ResponseHeaders
    let pathGuard: PathGuard

    init(accessLog: AccessLog, headers: ResponseHeaders, pathGuard: PathGuard) {
        self.accessLog = accessLog
        self.headers = headers
        self.pathGuard = pathGuard
    }

    /// Outermost first.
    var middleware: [any Middleware] { [accessLog, headers, pathGuard] }

    /// What the edge answers by itself before any route: a CORS preflight, a
    /// refused path, a redirect to HTTPS.
    func answerBeforeRouting(_ request: HTTPRequest, allowedOrigin: String?) -> HTTPResponse? {
        if let preflight = headers.preflight(request, allowedOrigin: allowedOrigin) { return preflight }
        do { return try pathGuard.check(request) } catch { return error.response(requestID: request.id) }
    }

    /// Answers a request served on the loop: the response (or the error's) decorated, logged and sent.
    func answer(_ outcome: Result<HTTPResponse, HTTPError>, to request: HTTPRequest, through reply: LoopReply,
                allowedOrigin: String?, started: MonotonicInstant) {
        let response: HTTPResponse
        switch outcome {
        case .success(let success): response = success
        case .failure(let error): response = error.response(requestID: request.id)
        }
        reply.send(accessLog.finish(headers.decorate(response, for: request, allowedOrigin: allowedOrigin), for: request, started: started))
    }
}
