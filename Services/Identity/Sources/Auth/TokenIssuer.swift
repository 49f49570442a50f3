import MusterAuth
import MusterContracts
import MusterCore
import MusterTime

/// Signs access tokens (`typ: at+jwt`, EdDSA, 15 minutes) with the current signing key.
struct TokenIssuer: Sendable {
    static let accessLifetime = 15 * 60

    let keys: SigningKeys

    /// A signed token and the seconds it lives (less when `notAfter` comes first); `authTime` is when the
    /// user last proved a credential (now at sign-in, the session's value on refresh).
    func accessToken(user: UserID, agency: AgencyRecord, session: SessionID, roles: [Role], amr: [String], authTime: Int,
                     scope: String? = nil, supportGrant: String? = nil, notAfter: Int? = nil) async throws -> (token: String, expiresIn: Int) {
        let now = Timestamp.nowSeconds
        let expires = min(now + Self.accessLifetime, notAfter ?? .max)
        let claims = AccessTokenClaims(iss: AccessTokenConventions.issuer, sub: user.description, aud: AccessTokenConventions.audience,
                                       exp: expires, iat: now, sid: session.description, tid: agency.id.description,
                                       agency: agency.slug, roles: roles.map(\.rawValue), amr: amr, scope: scope, sgid: supportGrant,
                                       authTime: authTime)
        return (try JWT.sign(claims, type: JWT.accessTokenType, key: try await keys.current()), expires - now)
    }
}

/// `{"access_token","refresh_token","token_type":"Bearer","expires_in"}`.
struct TokenPair: Encodable, Sendable {
    let accessToken: String
    /// Nil when it went into the web app's cookie (``RefreshCookie``).
    let refreshToken: String?
    let tokenType = "Bearer"
    let expiresIn: Int
}
