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
///
/// Immutable, and held in one shared box: a principal rides in every copy of a
/// request's context, and a copy then costs one retain instead of one per field.
public struct UserPrincipal: Sendable, Equatable {
    private final class Storage: Sendable {
        let userID: UserID
        let agencyID: AgencyID
        let agencySlug: String
        let sessionID: SessionID
        let roles: Set<Role>
        let methods: [String]
        let expiresAt: Int
        let scope: String?
        let supportGrantID: String?

        init(userID: UserID, agencyID: AgencyID, agencySlug: String, sessionID: SessionID,
             roles: Set<Role>, methods: [String], expiresAt: Int, scope: String?, supportGrantID: String?) {
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
    }

    private let storage: Storage

    public var userID: UserID { storage.userID }
    public var agencyID: AgencyID { storage.agencyID }
    public var agencySlug: String { storage.agencySlug }
    public var sessionID: SessionID { storage.sessionID }
    public var roles: Set<Role> { storage.roles }
    /// Authentication methods (`pwd`, `otp`, …) as in the token's `amr` claim.
    public var methods: [String] { storage.methods }
    public var expiresAt: Int { storage.expiresAt }
    /// A narrower grant than the roles, e.g. `mfa_enrollment`: such a token may only enrol MFA.
    public var scope: String? { storage.scope }
    /// Set when a platform operator reads this agency under its support grant (read-only, audited).
    public var supportGrantID: String? { storage.supportGrantID }

    public init(userID: UserID, agencyID: AgencyID, agencySlug: String, sessionID: SessionID,
                roles: Set<Role>, methods: [String], expiresAt: Int, scope: String? = nil, supportGrantID: String? = nil) {
        storage = Storage(userID: userID, agencyID: agencyID, agencySlug: agencySlug, sessionID: sessionID, roles: roles,
                          methods: methods, expiresAt: expiresAt, scope: scope, supportGrantID: supportGrantID)
    }

    public func has(_ role: Role) -> Bool { storage.roles.contains(role) }

    public static func == (lhs: UserPrincipal, rhs: UserPrincipal) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.userID == rhs.userID && lhs.agencyID == rhs.agencyID && lhs.agencySlug == rhs.agencySlug
                && lhs.sessionID == rhs.sessionID && lhs.roles == rhs.roles && lhs.methods == rhs.methods
                && lhs.expiresAt == rhs.expiresAt && lhs.scope == rhs.scope && lhs.supportGrantID == rhs.supportGrantID)
    }
}
