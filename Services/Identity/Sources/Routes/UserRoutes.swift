import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// `/api/v1/users`: agency admins invite, list, change, deactivate and reactivate
/// the agency's users. An operator under a live support grant may read (audited).
/// Another agency's user id is always `404`: every query runs in the caller's schema.
struct UserRoutes {
    let services: IdentityRuntime

    struct Invite: Decodable {
        let email: String
        let name: String
        let roles: [String]
    }

    struct Change: Decodable {
        let name: String?
        let roles: [String]?
    }

    func register(on api: RouteGroup) {
        api.post("/users", bodyLimit: 16 << 10) { request in try await invite(request) }
        api.get("/users") { request in try await list(request) }
        api.get("/users/{id}") { request in try await read(request) }
        api.patch("/users/{id}", bodyLimit: 16 << 10) { request in try await change(request) }
        api.post("/users/{id}/deactivate", bodyLimit: 1 << 10) { request in try await setActive(request, false) }
        api.post("/users/{id}/reactivate", bodyLimit: 1 << 10) { request in try await setActive(request, true) }
        api.post("/users/{id}/invitation", bodyLimit: 1 << 10) { request in try await resendInvitation(request) }
        api.post("/users/{id}/unlock", bodyLimit: 1 << 10) { request in try await unlock(request) }
    }

    /// Runs `body` for an admin on the target user, locked for update; `404` when not in the caller's agency.
    private func withTarget<T>(_ request: HTTPRequest,
                               _ body: (UserPrincipal, AgencyRecord, UserRecord, Transaction, AuditTrail) async throws -> T) async throws -> T {
        let admin = try services.requireAdmin(request)
        let id: UserID = try request.context.parameters.id("id", what: "user")
        let agency = try await services.agency(of: admin)
        return try await services.db.withAgency(agency.id) { tx in
            guard let user = try await UserStore.find(id, in: tx, forUpdate: true) else { throw HTTPError.notFound("user") }
            return try await body(admin, agency, user, tx, AuditTrail(request: request, agency: agency))
        }
    }

    private func invite(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admin = try services.requireAdmin(request)
        let body = try request.decode(Invite.self)
        let email = try EmailAddress.validated(body.email)
        let name = try PersonName.validated(body.name)
        let roles = try AgencyRoles.parse(body.roles)
        let agency = try await services.agency(of: admin)
        return try await services.db.withAgency(agency.id) { tx in
            try await Idempotency.once(request, actor: admin.userID.uuid, in: tx) {
                let user = try await UserInvitations.invite(email: email, name: name, roles: roles, agency: agency, by: admin,
                                                            services: services, audit: AuditTrail(request: request, agency: agency), in: tx)
                return try .json(UserView(user), status: .created)
            }
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try SupportAccess.reader(request)
        let page = try PageRequest(keyedListOf: request)
        let query = request.query
        var filter: SQL = "u.email > \(page.after ?? "")"
        if let role = query["role"] {
            guard Role(rawValue: role) != nil else { throw HTTPError.badRequest("Unknown role.", code: "invalid_filter") }
            filter = filter + " AND \(role) = ANY(u.roles)"
        }
        if let status = query["status"] {
            guard UserStatus(rawValue: status) != nil else { throw HTTPError.badRequest("Unknown status.", code: "invalid_filter") }
            filter = filter + " AND u.status = \(status)"
        }
        if let text = query["q"], !text.isEmpty {
            guard text.count <= 200 else { throw HTTPError.badRequest("The search text is too long.", code: "invalid_filter") }
            let pattern = "%" + text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            filter = filter + " AND (u.email LIKE \(pattern) OR lower(u.name) LIKE \(pattern))"
        }
        let users = try await services.db.withAgency(caller.agencyID) { tx in
            try await SupportAccess.recordRead(caller, action: "users.list", target: nil, request: request, services: services, in: tx)
            return try await tx.query("SELECT \(UserStore.columns) FROM users u WHERE \(filter) ORDER BY u.email LIMIT \(page.limit)",
                                      decoding: UserRecord.self)
        }
        return try .json(ListPage(items: users.map(UserView.init), nextCursor: page.nextCursor(after: users) { PageCursor([$0.email]) }))
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try SupportAccess.reader(request)
        let id: UserID = try request.context.parameters.id("id", what: "user")
        let user = try await services.db.withAgency(caller.agencyID) { tx in
            guard let user = try await UserStore.find(id, in: tx) else { throw HTTPError.notFound("user") }
            try await SupportAccess.recordRead(caller, action: "users.read", target: id, request: request, services: services, in: tx)
            return user
        }
        return try .json(UserView(user))
    }

    private func change(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try request.decode(Change.self)
        let name = try body.name.map { try PersonName.validated($0) }
        let roles = try body.roles.map { try AgencyRoles.parse($0) }
        let updated = try await withTarget(request) { admin, agency, user, tx, audit in
            var changes: [String: AuditChange] = [:]
            if let name, name != user.name { changes["name"] = AuditChange(before: .string(user.name), after: .string(name)) }
            if let roles, roles != user.roleSet {
                if user.roleSet.contains(.agencyAdmin), !roles.contains(.agencyAdmin), user.status == .active {
                    try await LastAdminRule.check(removing: user.id, in: tx)
                }
                changes["roles"] = .roles(user.roleSet, roles)
            }
            guard !changes.isEmpty else { return user }
            try await tx.execute("""
                UPDATE users SET name = \(name ?? user.name), roles = \((roles ?? user.roleSet).map(\.rawValue)), updated_at = now()
                WHERE id = \(user.id)
                """)
            try await audit.record(changes["roles"] == nil ? "user.changed" : "user.roles.changed", actor: .principal(admin),
                                   target: .user(user.id), changes: changes, in: tx)
            return try await UserStore.find(user.id, in: tx) ?? user
        }
        return try .json(UserView(updated))
    }

    private func setActive(_ request: HTTPRequest, _ active: Bool) async throws -> HTTPResponse {
        let (updated, revoked) = try await withTarget(request) { admin, agency, user, tx, audit -> (UserRecord, [SessionID]) in
            let from: UserStatus = active ? .deactivated : .active
            guard user.status == from else {
                throw HTTPError.conflict("The user is \(user.status.rawValue).", code: "invalid_status")
            }
            if !active, user.roleSet.contains(.agencyAdmin) { try await LastAdminRule.check(removing: user.id, in: tx) }
            try await tx.execute("UPDATE users SET status = \(active ? UserStatus.active : .deactivated), updated_at = now() WHERE id = \(user.id)")
            let revoked = active ? [] : try await SessionStore.revokeAll(of: user.id, reason: "user_deactivated", agency: agency.id, in: tx)
            try await audit.record(active ? "user.reactivated" : "user.deactivated", actor: .principal(admin), target: .user(user.id),
                                   changes: ["status": AuditChange(before: .string(from.rawValue), after: .string(active ? "active" : "deactivated"))],
                                   reason: active ? nil : "\(revoked.count) sessions revoked", in: tx)
            return (try await UserStore.find(user.id, in: tx) ?? user, revoked)
        }
        for session in revoked { services.verifier.invalidate(session: session) }
        return try .json(UserView(updated))
    }

    private func resendInvitation(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withTarget(request) { admin, agency, user, tx, audit in
            guard user.status == .invited else { throw HTTPError.conflict("The user already accepted.", code: "invalid_status") }
            let token = try await UserTokenStore.issue(.invitation, for: user.id, agency: agency.id, in: tx)
            try await services.mailer.invitation(to: .init(user), token: token, agency: agency, in: tx)
            try await audit.record("user.invitation.resent", actor: .principal(admin), target: .user(user.id), in: tx)
        }
        return HTTPResponse(status: .accepted)
    }

    private func unlock(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try await withTarget(request) { admin, agency, user, tx, audit in
            try await ThrottleStore.unlock(email: user.email, in: tx)
            try await audit.record("auth.account.unlocked", actor: .principal(admin), target: .user(user.id), in: tx)
            return try await UserStore.find(user.id, in: tx) ?? user
        }
        return try .json(UserView(user))
    }
}

/// An agency keeps at least one active `agency_admin`.
enum LastAdminRule {
    static func check(removing user: UserID, in tx: Transaction) async throws {
        guard try await UserStore.otherActiveAdmins(than: user, in: tx) > 0 else {
            throw HTTPError.unprocessable("The agency must keep at least one active agency admin.", code: "last_admin")
        }
    }
}

/// Inviting a user: the row, a 72-hour single-use token and the email, in one transaction.
enum UserInvitations {
    static func invite(email: EmailAddress, name: String, roles: [Role], agency: AgencyRecord, by admin: UserPrincipal,
                       services: IdentityRuntime, audit: AuditTrail, in tx: Transaction) async throws -> UserRecord {
        guard let user = try await UserStore.insertInvited(email: email, name: name, roles: roles, in: tx) else {
            throw HTTPError.conflict("A user with this email exists.", code: "email_taken")
        }
        let token = try await UserTokenStore.issue(.invitation, for: user.id, agency: agency.id, in: tx)
        try await services.mailer.invitation(to: .init(user), token: token, agency: agency, in: tx)
        try await audit.record("user.invited", actor: .principal(admin), target: .user(user.id), changes: ["roles": .roles([], roles)], in: tx)
        return user
    }
}
