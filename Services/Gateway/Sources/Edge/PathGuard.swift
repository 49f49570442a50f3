import MusterHTTP

/// Before any route: `/internal/*` does not exist here (`404`), nor do `/readyz`
/// and `/metrics` (the admin listener serves them, not the web app), paths that could
/// be read differently by a service (dot segments, encoded slashes…) are `400`,
/// and with TLS on, a plain-HTTP request is redirected to HTTPS (health probes excepted).
struct PathGuard: Middleware {
    /// The HTTPS port to redirect to; nil when TLS is off.
    let redirectPort: Int?

    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        if let redirect = try check(request) { return redirect }
        return try await next(request)
    }

    /// Throws the refusal of a path that may not pass, returns the redirect to
    /// HTTPS when one is due, and nil when the request may go on.
    func check(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse? {
        let path = request.path
        if path == "/internal" || path.utf8.starts(with: "/internal/".utf8) || path == "/readyz" || path == "/metrics" {
            throw HTTPError.notFound("route")
        }
        if let problem = PathSafety.problem(in: path) {
            throw HTTPError.badRequest("The request path is not acceptable (\(problem)).", code: "invalid_path")
        }
        if let redirectPort, !request.context.isSecure, path != "/healthz" {
            return redirect(request, port: redirectPort)
        }
        return nil
    }

    /// `308` to the same target over HTTPS; the host comes from `Host` only when it is a plain host name.
    private func redirect(_ request: HTTPRequest, port: Int) -> HTTPResponse {
        var host = request.headers["Host"] ?? "localhost"
        if host.hasPrefix("[") {
            host = String(host.prefix { $0 != "]" }) + "]"
        } else if let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])
        }
        let valid = !host.isEmpty && host.utf8.allSatisfy { byte in
            HTTPHeaders.isTokenByte(byte) || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ":")
        }
        if !valid { host = "localhost" }
        let authority = port == 443 ? host : "\(host):\(port)"
        var response = HTTPResponse(status: .permanentRedirect)
        response.headers.add("Location", "https://\(authority)\(request.target)")
        return response
    }
}
