import MusterCore

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
    private struct Fields: Sendable, Equatable {
        let userID: UserID
        let agencyID: AgencyID
        let agencySlug: String
        let sessionID: SessionID
        let roles: Set<Role>
        let methods: [String]
        let expiresAt: Int
        let scope: String?
        let supportGrantID: String?
        let authenticatedAt: Int?
    }

    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private let storage: Storage

    public var userID: UserID { storage.fields.userID }
    public var agencyID: AgencyID { storage.fields.agencyID }
    public var agencySlug: String { storage.fields.agencySlug }
    public var sessionID: SessionID { storage.fields.sessionID }
    public var roles: Set<Role> { storage.fields.roles }
    /// Authentication methods (`pwd`, `otp`, …) as in the token's `amr` claim.
    public var methods: [String] { storage.fields.methods }
    public var expiresAt: Int { storage.fields.expiresAt }
    /// A narrower grant than the roles, e.g. `mfa_enrollment`: such a token may only enrol MFA.
    public var scope: String? { storage.fields.scope }
    /// Set when a platform operator reads this agency under its support grant (read-only, audited).
    public var supportGrantID: String? { storage.fields.supportGrantID }
    /// When the user last proved a credential (the token's `auth_time`, Unix seconds); nil on a token without it.
    public var authenticatedAt: Int? { storage.fields.authenticatedAt }

    public init(userID: UserID, agencyID: AgencyID, agencySlug: String, sessionID: SessionID,
                roles: Set<Role>, methods: [String], expiresAt: Int, scope: String? = nil, supportGrantID: String? = nil,
                authenticatedAt: Int? = nil) {
        storage = Storage(Fields(userID: userID, agencyID: agencyID, agencySlug: agencySlug, sessionID: sessionID, roles: roles,
                                 methods: methods, expiresAt: expiresAt, scope: scope, supportGrantID: supportGrantID,
                                 authenticatedAt: authenticatedAt))
    }

    public func has(_ role: Role) -> Bool { storage.fields.roles.contains(role) }

    /// Whether the user proved a credential within the last `seconds` before `now` (Unix seconds);
    /// `false` for a token that does not say when.
    ///
    /// ```swift
    /// guard user.authenticated(within: 300, now: Timestamp.nowSeconds) else { /* ask to re-authenticate */ }
    /// ```
    public func authenticated(within seconds: Int, now: Int) -> Bool {
        guard let at = authenticatedAt else { return false }
        return now - at <= seconds
    }

    public static func == (lhs: UserPrincipal, rhs: UserPrincipal) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }
}
