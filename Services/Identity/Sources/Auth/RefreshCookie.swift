import MusterHTTP

/// The web app's refresh token: an `HttpOnly; Secure; SameSite=Strict` cookie scoped
/// to the refresh path, so page script never holds it and no other request carries it.
///
/// A browser asks for it with `Refresh-Token-Transport: cookie` on login, MFA or
/// refresh; the answer then sets the cookie and leaves `refresh_token` out of the
/// JSON (API clients that do not ask keep the token in the body). A refresh that
/// presents only the cookie must come from the platform's own origin
/// (`MUSTER_PUBLIC_URL`): `SameSite=Strict` already keeps other sites' requests from
/// carrying it, the `Origin` check refuses what slips past (older browsers, sibling sites).
///
/// ```swift
/// RefreshCookie.setting("rt_…")   // "__Secure-muster-refresh=rt_…; Path=/api/v1/auth/refresh; HttpOnly; Secure; SameSite=Strict"
/// ```
enum RefreshCookie {
    static let name = "__Secure-muster-refresh"
    static let path = "/api/v1/auth/refresh"
    static let transportHeader = "Refresh-Token-Transport"

    /// Whether the client asked for the refresh token as a cookie, or refreshes with one.
    static func isWanted(by request: HTTPRequest) -> Bool {
        request.headers[transportHeader]?.lowercased() == "cookie" || (request.body.isEmpty && token(in: request) != nil)
    }

    /// A session cookie (no `Max-Age`): it goes when the browser does; the session's
    /// own idle and total limits still apply on the server.
    static func setting(_ token: String) -> String {
        "\(name)=\(token); Path=\(path); HttpOnly; Secure; SameSite=Strict"
    }

    static let clearing = "\(name)=; Path=\(path); Max-Age=0; HttpOnly; Secure; SameSite=Strict"

    /// The cookie's value in the request's `Cookie` fields, if any.
    static func token(in request: HTTPRequest) -> String? {
        for field in request.headers.values("Cookie") {
            for pair in field.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                let value = trimmed[trimmed.index(after: equals)...]
                return value.isEmpty ? nil : String(value)
            }
        }
        return nil
    }

    /// Refuses a cookie refresh whose `Origin` is missing or not the platform's.
    static func checkOrigin(of request: HTTPRequest, publicURL: String) throws(HTTPError) {
        guard let origin = request.headers["Origin"], origin == Self.origin(of: publicURL) else {
            throw HTTPError(.forbidden, code: "origin_not_allowed", message: "Refreshing a session from this page is not allowed.")
        }
    }

    /// `scheme://host[:port]` of a URL, as browsers send it in `Origin`.
    static func origin(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        return String(url[..<scheme.upperBound]) + rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    }
}
