import MusterCore

/// The claims of a user's access token (`typ: at+jwt`).
///
/// ```swift
/// let claims = AccessTokenClaims(iss: "https://muster.example", sub: user.description, aud: "muster",
///                                exp: now + 600, iat: now, sid: session.description, tid: agency.description,
///                                agency: "metro-pd", roles: ["officer"], amr: ["pwd", "otp"], authTime: now)
/// ```
public struct AccessTokenClaims: Encodable, Sendable, Equatable, TokenClaims {
    public var iss: String
    /// The user id.
    public var sub: String
    public var aud: String
    public var exp: Int
    public var iat: Int
    public var nbf: Int?
    /// The session id (revocation works per session).
    public var sid: String
    /// The agency (tenant) id.
    public var tid: String
    /// The agency's slug, for display and logs.
    public var agency: String
    public var roles: [String]
    /// Authentication methods used (RFC 8176 values such as `pwd`, `otp`).
    public var amr: [String]
    /// A narrower grant than the roles (e.g. `mfa_enrollment` only).
    public var scope: String?
    /// Set on a platform operator's token for reading an agency under its support grant.
    public var sgid: String?
    /// When the user last proved a credential (`auth_time`, OpenID Connect Core §2): a password
    /// or code at sign-in or re-authentication; a refreshed token keeps its session's value.
    public var authTime: Int?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nbf, sid, tid, agency, roles, amr, scope, sgid
        case authTime = "auth_time"
    }

    public init(iss: String, sub: String, aud: String, exp: Int, iat: Int, nbf: Int? = nil, sid: String, tid: String,
                agency: String, roles: [String], amr: [String], scope: String? = nil, sgid: String? = nil, authTime: Int? = nil) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
        self.sid = sid
        self.tid = tid
        self.agency = agency
        self.roles = roles
        self.amr = amr
        self.scope = scope
        self.sgid = sgid
        self.authTime = authTime
    }

    init(_ json: JSONMembers) throws(TokenError) {
        self.init(iss: try json.string("iss"), sub: try json.string("sub"), aud: try json.string("aud"), exp: try json.time("exp"),
                  iat: try json.time("iat"), nbf: try json.optionalTime("nbf"), sid: try json.string("sid"), tid: try json.string("tid"),
                  agency: try json.string("agency"), roles: try json.strings("roles"), amr: try json.strings("amr"),
                  scope: try json.optionalString("scope"), sgid: try json.optionalString("sgid"),
                  authTime: try json.optionalTime("auth_time"))
    }

    /// The principal these claims describe; ids must be UUIDs. Unknown role names
    /// are dropped rather than refused, so a newer Identity can add roles first.
    public func principal() throws(TokenError) -> UserPrincipal {
        guard let user = UUIDText.parse(sub), let agencyID = UUIDText.parse(tid), let session = UUIDText.parse(sid) else {
            throw .malformed
        }
        return UserPrincipal(userID: UserID(user), agencyID: AgencyID(agencyID), agencySlug: agency, sessionID: SessionID(session),
                             roles: Set(roles.compactMap(Role.init(rawValue:))), methods: amr, expiresAt: exp,
                             scope: scope, supportGrantID: sgid, authenticatedAt: authTime)
    }
}
