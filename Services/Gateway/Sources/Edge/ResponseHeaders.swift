import MusterHTTP

/// Security headers on every response, and CORS for the configured origins.
///
/// Every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy:
/// no-referrer`, `X-Frame-Options: DENY`, and HSTS under TLS. API responses:
/// `Cache-Control: no-store` and a deny-all CSP; the web app: a CSP without
/// inline script. A preflight from an allowed origin is answered here; one from
/// any other origin gets `403`.
struct ResponseHeaders: Middleware {
    let corsOrigins: Set<String>
    let hsts: Bool

    static let webAppPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    static let apiPolicy = "default-src 'none'; frame-ancestors 'none'"
    /// Encoded once, by kind of response and whether HSTS applies.
    static let apiFields = fields(("Content-Security-Policy", apiPolicy), ("Cache-Control", "no-store"))
    static let apiFieldsWithHSTS = fields(("Content-Security-Policy", apiPolicy), ("Cache-Control", "no-store"), hsts)
    static let webAppFields = fields(("Content-Security-Policy", webAppPolicy))
    static let webAppFieldsWithHSTS = fields(("Content-Security-Policy", webAppPolicy), hsts)
    static let hsts = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")

    private static func fields(_ specific: (String, String)...) -> ConstantFields {
        let common = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")]
        return ConstantFields((common + specific).map { HTTPHeaders.Field($0.0, $0.1)! })
    }

    /// The fields the Gateway owns: whatever a service sent under these names is
    /// dropped (and `Cache-Control` on the API). By length first, as most names miss.
    static func isOwned(_ name: String, api: Bool) -> Bool {
        switch name.utf8.count {
        case 13: api && HTTPHeaders.equalsIgnoringCase(name, "cache-control")
        case 15: HTTPHeaders.equalsIgnoringCase(name, "referrer-policy") || HTTPHeaders.equalsIgnoringCase(name, "x-frame-options")
        case 22: HTTPHeaders.equalsIgnoringCase(name, "x-content-type-options")
        case 23: HTTPHeaders.equalsIgnoringCase(name, "content-security-policy")
        case 25: HTTPHeaders.equalsIgnoringCase(name, "strict-transport-security")
        case 27: HTTPHeaders.equalsIgnoringCase(name, "access-control-allow-origin")
        case 29: HTTPHeaders.equalsIgnoringCase(name, "access-control-expose-headers")
        default: false
        }
    }

    static let allowedHeaders = "Authorization, Content-Type, Idempotency-Key, X-Request-Id"
    static let exposedHeaders = "X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy"

    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        let allowedOrigin = allowedOrigin(of: request)
        if let answer = preflight(request, allowedOrigin: allowedOrigin) {
            return decorate(answer, for: request, allowedOrigin: allowedOrigin)
        }
        let response: HTTPResponse
        do {
            response = try await next(request)
        } catch let error as HTTPError {
            response = error.response(requestID: request.id)
        }
        return decorate(response, for: request, allowedOrigin: allowedOrigin)
    }

    /// The request's `Origin` when it is one of the configured ones.
    func allowedOrigin(of request: HTTPRequest) -> String? {
        guard !corsOrigins.isEmpty, let origin = request.headers["Origin"], corsOrigins.contains(origin) else { return nil }
        return origin
    }

    /// The answer to a CORS preflight (`403` from an origin not allowed), nil for any other request.
    func preflight(_ request: HTTPRequest, allowedOrigin: String?) -> HTTPResponse? {
        guard request.method == .options, request.headers["Origin"] != nil,
              request.headers["Access-Control-Request-Method"] != nil else { return nil }
        guard allowedOrigin != nil else {
            return HTTPError(.forbidden, code: "cors_origin_not_allowed", message: "This origin may not call the API.")
                .response(requestID: request.id)
        }
        var response = HTTPResponse(status: .noContent)
        response.headers.add("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
        response.headers.add("Access-Control-Allow-Headers", Self.allowedHeaders)
        response.headers.add("Access-Control-Max-Age", "600")
        return response
    }

    /// Consumes the response: its headers are edited in place, not copied first.
    func decorate(_ response: consuming HTTPResponse, for request: HTTPRequest, allowedOrigin: String?) -> HTTPResponse {
        var response = response
        let isAPI = Self.isAPI(request.path)
        response.headers.removeAll { name, _ in Self.isOwned(name, api: isAPI) }
        let withHSTS = hsts && request.context.isSecure
        response.constantFields = isAPI ? (withHSTS ? Self.apiFieldsWithHSTS : Self.apiFields)
            : (withHSTS ? Self.webAppFieldsWithHSTS : Self.webAppFields)
        if let allowedOrigin {
            response.headers.add("Access-Control-Allow-Origin", allowedOrigin)
            response.headers.add("Access-Control-Expose-Headers", Self.exposedHeaders)
            response.headers.add("Vary", "Origin")
        }
        return response
    }

    /// Everything but the web app: JSON routes, health, metrics, JWKS.
    static func isAPI(_ path: Substring) -> Bool {
        path.utf8.starts(with: "/api/".utf8) || path.utf8.starts(with: "/.well-known/".utf8)
            || path == "/healthz" || path == "/metrics"
    }
}
