/// Who is making a request, as established by a verified credential.
///
/// Handlers never trust headers to learn this: the auth middleware sets it
/// after verifying a user's access token or a peer service's credential.
public enum Principal: Sendable, Equatable {
    case user(UserPrincipal)
    case service(ServiceName)

    public var user: UserPrincipal? {
        if case .user(let user) = self { return user }
        return nil
    }

    public var service: ServiceName? {
        if case .service(let service) = self { return service }
        return nil
    }
}

/// A user authenticated by an access token: the agency comes from the token,
/// never from the URL or the body.
public struct UserPrincipal: Sendable, Equatable {
    public let userID: UserID
    public let agencyID: AgencyID
    public let agencySlug: String
    public let sessionID: SessionID
    public let roles: Set<Role>
    /// Authentication methods (`pwd`, `otp`, …) as in the token's `amr` claim.
    public let methods: [String]
    public let expiresAt: Int
    /// A narrower grant than the roles, e.g. `mfa_enrollment`: such a token may only enrol MFA.
    public let scope: String?
    /// Set when a platform operator reads this agency under its support grant (read-only, audited).
    public let supportGrantID: String?

    public init(userID: UserID, agencyID: AgencyID, agencySlug: String, sessionID: SessionID,
                roles: Set<Role>, methods: [String], expiresAt: Int, scope: String? = nil, supportGrantID: String? = nil) {
        self.userID = userID
        self.agencyID = agencyID
        self.agencySlug = agencySlug
        self.sessionID = sessionID
        self.roles = roles
        self.methods = methods
        self.expiresAt = expiresAt
        self.scope = scope
        self.supportGrantID = supportGrantID
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
}
