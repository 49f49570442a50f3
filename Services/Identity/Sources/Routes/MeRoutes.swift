import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// `/api/v1/me`: the caller's profile, sessions and password.
struct MeRoutes {
    let services: IdentityRuntime

    struct Profile: Encodable {
        struct Agency: Encodable {
            let id: AgencyID
            let slug: String
            let name: String
        }
        struct MFA: Encodable {
            let enabled: Bool
            let required: Bool
        }
        let id: UserID
        let email: String
        let name: String
        let roles: [Role]
        let status: UserStatus
        let agency: Agency
        let mfa: MFA
        let scope: String?
    }

    struct SessionView: Encodable {
        let id: SessionID
        let current: Bool
        let createdAt: Date
        let lastUsedAt: Date
        let expiresAt: Date
        let clientAddress: String?
        let userAgent: String?
    }

    struct PasswordChange: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    func register(limited: RouteGroup, authenticated: RouteGroup) {
        limited.get("/me") { request in try await profile(request) }
        authenticated.get("/me/sessions") { request in try await sessions(request) }
        authenticated.delete("/me/sessions/{id}") { request in try await revoke(request) }
        authenticated.post("/me/password", bodyLimit: AuthRoutes.bodyLimit) { request in try await changePassword(request) }
    }

    /// The calling user's own row (an operator under a support grant has none here).
    static func me(_ user: UserPrincipal, in tx: Transaction) async throws -> UserRecord {
        guard user.supportGrantID == nil, let record = try await UserStore.find(user.userID, in: tx) else { throw noProfile }
        return record
    }

    static let noProfile = HTTPError.forbidden("Support access has no profile in this agency.")

    /// The agency, the user and the settings are independent reads: one round trip
    /// (with the session check `LiveSessionMiddleware` adds to it), then the commit.
    private func profile(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let (agency, record, settings) = try await services.db.withAgency(user.agencyID) { tx in
            let rows = try await tx.pipeline([AgencyRegistry.selecting(id: user.agencyID), UserStore.selecting(user.userID),
                                              try tx.selecting(AgencySettingKeys.policy)])
            guard let agency = try rows[0].decode(AgencyRecord.self).first else { throw HTTPError.unauthorized() }
            guard user.supportGrantID == nil, let record = try rows[1].decode(UserRecord.self).first else {
                throw Self.noProfile
            }
            return (agency, record, try Transaction.settings(from: rows[2], AgencySettingKeys.policy))
        }
        return try .json(Profile(id: record.id, email: record.email, name: record.name, roles: record.roleSet, status: record.status,
                                 agency: .init(id: agency.id, slug: agency.slug, name: agency.name),
                                 mfa: .init(enabled: record.mfaEnrolledAt != nil, required: settings.requiresMFA(for: record.roleSet)),
                                 scope: user.scope))
    }

    private func sessions(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        // The caller's own row and sessions: independent reads, one round trip.
        let sessions = try await services.db.withAgency(user.agencyID) { tx in
            guard user.supportGrantID == nil else { throw Self.noProfile }
            let rows = try await tx.pipeline([UserStore.selecting(user.userID), SessionStore.selectingLive(of: user.userID)])
            guard !rows[0].isEmpty else { throw Self.noProfile }
            return try rows[1].decode(SessionRecord.self)
        }
        return try .json(ListPage(items: sessions.map {
            SessionView(id: $0.id, current: $0.id == user.sessionID, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt,
                        expiresAt: $0.expiresAt, clientAddress: $0.clientAddress, userAgent: $0.userAgent)
        }, nextCursor: nil))
    }

    private func revoke(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let session: SessionID = try request.context.parameters.id("id", what: "session")
        let agency = try await services.agency(of: user)
        try await services.db.withAgency(agency.id) { tx in
            _ = try await Self.me(user, in: tx)
            guard try await SessionStore.revoke(session, user: user.userID, reason: "revoked_by_user", agency: agency.id, in: tx) else {
                throw HTTPError.notFound("session")
            }
            try await AuditTrail(request: request, agency: agency).record(
                "auth.session.revoked", actor: .principal(user), target: .session(session), reason: "revoked_by_user", in: tx)
        }
        services.verifier.invalidate(session: session)
        return HTTPResponse(status: .noContent)
    }

    private func changePassword(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let body = try request.decode(PasswordChange.self)
        let agency = try await services.agency(of: user)
        let record = try await services.db.withAgency(agency.id) { tx in try await Self.me(user, in: tx) }
        guard let stored = record.passwordHash, try await services.hasher.verify(body.currentPassword, against: stored) != .invalid else {
            throw HTTPError(.forbidden, code: "invalid_password", message: "The current password is not right.")
        }
        guard let email = EmailAddress(record.email) else { throw HTTPError.internalError }
        if let problem = services.passwords.problem(with: body.newPassword, agencySlug: agency.slug, email: email) {
            throw ValidationFailure(field: "new_password", message: problem)
        }
        let hash = try await services.hasher.hash(body.newPassword)
        try await services.db.withAgency(agency.id) { tx in
            try await UserStore.setPassword(user.userID, hash: hash, in: tx)
            try await SessionStore.reauthenticated(user.sessionID, in: tx)
            let ended = try await SessionStore.revokeAll(of: user.userID, except: user.sessionID, reason: "password_changed",
                                                        agency: agency.id, in: tx)
            try await services.mailer.notice("password_changed", to: .init(record), agency: agency, in: tx)
            try await AuditTrail(request: request, agency: agency).record(
                "auth.password.changed", actor: .principal(user), target: .user(user.userID),
                reason: "\(ended.count) other sessions revoked", in: tx)
        }
        return HTTPResponse(status: .noContent)
    }
}
