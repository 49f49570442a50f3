import MusterHTTP

/// Reading `Authorization: Bearer <token>` (RFC 6750 §2.1) and answering when it fails.
enum BearerToken {
    /// The token of a `Bearer` header value (scheme case-insensitive), or `nil`.
    static func from(_ value: String?) -> Substring? {
        guard let value, value.utf8.count > 7 else { return nil }
        let scheme = value.prefix(7)
        guard scheme.lowercased() == "bearer " else { return nil }
        let token = value.dropFirst(7).drop { $0 == " " }
        return token.isEmpty || token.contains(" ") ? nil : token
    }

    /// `401` with the `WWW-Authenticate` challenge: plain when no token came,
    /// `error="invalid_token"` when one came and was refused.
    static func challenge(invalid: Bool) -> HTTPError {
        var error = invalid
            ? HTTPError.unauthorized("The access token is invalid or expired.", code: "invalid_token")
            : HTTPError.unauthorized()
        error.headers["WWW-Authenticate"] = invalid ? "Bearer error=\"invalid_token\"" : "Bearer"
        return error
    }
}
