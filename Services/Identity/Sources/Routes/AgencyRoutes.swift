import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// `/api/v1/agency/*` for agency admins: identity policy, login locks, and the
/// support grants that let platform operators read the agency's users for a while.
struct AgencyRoutes {
    let services: IdentityRuntime

    struct SettingsChange: Decodable {
        let mfaRequiredRoles: [String]?
        let sessionIdleMinutes: Int?
        let sessionMaxHours: Int?
    }

    struct NewGrant: Decodable {
        let hours: Int
        let reason: String
    }

    struct GrantView: Encodable {
        struct Use: Encodable {
            let operatorID: UserID
            let action: String
            let target: String?
            let at: Date
        }
        let id: SupportGrantID
        let reason: String
        let createdBy: UserID
        let createdAt: Date
        let expiresAt: Date
        let revokedAt: Date?
        let uses: [Use]
    }

    struct Locks: Encodable {
        struct Locked: Encodable { let email: String; let lockedAt: String }
        struct Throttled: Encodable { let email: String; let address: String; let blockedUntil: String }
        let locked: [Locked]
        let throttled: [Throttled]
    }

    func register(on api: RouteGroup) {
        api.get("/agency/settings") { request in try await settings(request) }
        api.patch("/agency/settings", bodyLimit: 16 << 10) { request in try await changeSettings(request) }
        api.get("/agency/locks") { request in try await locks(request) }
        api.post("/agency/support-grants", bodyLimit: 16 << 10) { request in try await grant(request) }
        api.get("/agency/support-grants") { request in try await grants(request) }
        api.delete("/agency/support-grants/{id}") { request in try await revokeGrant(request) }
    }

    private func settings(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admin = try services.requireAdmin(request)
        return try .json(try await services.db.withAgency(admin.agencyID) { tx in try await tx.setting(AgencySettingKeys.policy) })
    }

    private func changeSettings(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admin = try services.requireAdmin(request)
        let body = try request.decode(SettingsChange.self)
        let agency = try await services.agency(of: admin)
        let roles = try body.mfaRequiredRoles.map { names -> [Role] in names.isEmpty ? [] : try AgencyRoles.parse(names, field: "mfa_required_roles") }
        let saved = try await services.db.withAgency(agency.id) { tx -> AgencySettings in
            let before = try await tx.setting(AgencySettingKeys.policy)
            let after = try AgencySettings(mfaRequiredRoles: roles ?? before.mfaRequiredRoles,
                                           sessionIdleMinutes: body.sessionIdleMinutes ?? before.sessionIdleMinutes,
                                           sessionMaxHours: body.sessionMaxHours ?? before.sessionMaxHours).validated()
            guard after != before else { return before }
            try await tx.set(AgencySettingKeys.policy, to: after)
            var changes: [String: AuditChange] = [:]
            if after.mfaRequiredRoles != before.mfaRequiredRoles { changes["mfa_required_roles"] = .roles(before.mfaRequiredRoles, after.mfaRequiredRoles) }
            if after.sessionIdleMinutes != before.sessionIdleMinutes {
                changes["session_idle_minutes"] = AuditChange(before: .number(Double(before.sessionIdleMinutes)), after: .number(Double(after.sessionIdleMinutes)))
            }
            if after.sessionMaxHours != before.sessionMaxHours {
                changes["session_max_hours"] = AuditChange(before: .number(Double(before.sessionMaxHours)), after: .number(Double(after.sessionMaxHours)))
            }
            try await AuditTrail(request: request, agency: agency).record("agency.settings.changed", actor: .principal(admin),
                                                                         target: .agency(agency.id), changes: changes, in: tx)
            return after
        }
        return try .json(saved)
    }

    private func locks(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admin = try services.requireAdmin(request)
        let current = try await services.db.withAgency(admin.agencyID) { tx in try await ThrottleStore.current(in: tx) }
        return try .json(Locks(locked: current.locked.map { .init(email: $0.email, lockedAt: $0.at) },
                               throttled: current.throttled.map { .init(email: $0.email, address: $0.address, blockedUntil: $0.until) }))
    }

    private func grant(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admin = try services.requireAdmin(request)
        let body = try request.decode(NewGrant.self)
        guard (1...72).contains(body.hours) else { throw ValidationFailure(field: "hours", message: "Grant 1–72 hours.") }
        let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        // Code points, as the column's CHECK (PostgreSQL `length()`) counts them.
        guard (1...500).contains(reason.unicodeScalars.count) else { throw ValidationFailure(field: "reason", message: "Give a reason of 1–500 characters.") }
        let agency = try await services.agency(of: admin)
        return try await services.db.withAgency(agency.id) { tx in
            try await Idempotency.once(request, actor: admin.userID.uuid, in: tx) {
                let id = SupportGrantID()
                try await tx.execute("""
                    INSERT INTO support_grants (id, created_by, reason, expires_at)
                    VALUES (\(id), \(admin.userID), \(reason), now() + \(body.hours) * interval '1 hour')
                    """)
                try await AuditTrail(request: request, agency: agency).record(
                    "support.grant.created", actor: .principal(admin), target: .init(type: "support_grant", id: id.description),
                    reason: reason, in: tx)
                return try .json(try await Self.grants(in: tx, id: id)[0], status: .created)
            }
        }
    }

    private func grants(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admin = try services.requireAdmin(request)
        let grants = try await services.db.withAgency(admin.agencyID) { tx in try await Self.grants(in: tx, id: nil) }
        return try .json(ListPage(items: grants, nextCursor: nil))
    }

    private func revokeGrant(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admin = try services.requireAdmin(request)
        let id: SupportGrantID = try request.context.parameters.id("id", what: "support grant")
        let agency = try await services.agency(of: admin)
        let sessions = try await services.db.withAgency(agency.id) { tx -> [SessionID] in
            guard try await tx.execute("""
                UPDATE support_grants SET revoked_at = now(), revoked_by = \(admin.userID) WHERE id = \(id) AND revoked_at IS NULL
                """) == 1 else { throw HTTPError.notFound("support grant") }
            let sessions = try await tx.query("""
                UPDATE support_sessions SET revoked_at = now() WHERE grant_id = \(id) AND revoked_at IS NULL RETURNING id
                """).map { try $0.decode("id", as: SessionID.self) }
            try await SessionStore.recordRevocations(sessions, agency: agency.id, in: tx)
            try await AuditTrail(request: request, agency: agency).record(
                "support.grant.revoked", actor: .principal(admin), target: .init(type: "support_grant", id: id.description), in: tx)
            return sessions
        }
        for session in sessions { services.verifier.invalidate(session: session) }
        return HTTPResponse(status: .noContent)
    }

    /// Grants, newest first (or the one `id`), each with its uses.
    private static func grants(in tx: Transaction, id: SupportGrantID?) async throws -> [GrantView] {
        let rows = try await tx.query("""
            SELECT id, reason, created_by, created_at, expires_at, revoked_at FROM support_grants
            WHERE \(id) IS NULL OR id = \(id) ORDER BY created_at DESC LIMIT 200
            """)
        var views: [GrantView] = []
        for row in rows {
            let grant = try row.decode("id", as: SupportGrantID.self)
            let uses = try await tx.query("""
                SELECT operator_id, action, target, at FROM support_grant_uses WHERE grant_id = \(grant) ORDER BY at DESC LIMIT 200
                """).map { GrantView.Use(operatorID: try $0.decode("operator_id"), action: try $0.decode("action"),
                                         target: try $0.decode("target"), at: try $0.decode("at")) }
            views.append(GrantView(id: grant, reason: try row.decode("reason"), createdBy: try row.decode("created_by"),
                                   createdAt: try row.decode("created_at"), expiresAt: try row.decode("expires_at"),
                                   revokedAt: try row.decode("revoked_at"), uses: uses))
        }
        return views
    }
}
