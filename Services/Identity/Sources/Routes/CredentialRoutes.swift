import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterService

/// Setting a password with a single-use token: accepting an invitation, and the
/// password reset from the login screen (which never bypasses MFA).
struct CredentialRoutes {
    let services: IdentityRuntime

    struct Accept: Decodable {
        let token: String
        let password: String
    }

    struct ResetRequest: Decodable {
        let agency: String
        let email: String
    }

    struct ResetConfirm: Decodable {
        let token: String
        let newPassword: String
        let code: String?
    }

    func register(public api: RouteGroup) {
        let limit = AuthRoutes.bodyLimit
        api.post("/auth/invitations/accept", bodyLimit: limit) { request in try await accept(request) }
        api.post("/auth/password-reset", bodyLimit: limit) { request in try await requestReset(request) }
        api.post("/auth/password-reset/confirm", bodyLimit: limit) { request in try await confirmReset(request) }
    }

    private static var invalidToken: HTTPError {
        HTTPError.badRequest("The link is invalid, used or expired.", code: "invalid_token")
    }

    /// The token's agency (active) and user, without using the token up.
    private func holder(of token: OpaqueToken?, kind: UserTokenStore.Kind) async throws -> (AgencyRecord, UserRecord) {
        guard let token, let agency = try await services.registry.find(id: token.agency), agency.acceptsSignIn else { throw Self.invalidToken }
        let user = try await services.db.withAgency(agency.id) { tx -> UserRecord? in
            guard let id = try await UserTokenStore.peek(token, kind: kind, in: tx) else { return nil }
            return try await UserStore.find(id, in: tx)
        }
        guard let user else { throw Self.invalidToken }
        return (agency, user)
    }

    /// A hash of `password` after the policy allowed it for this user.
    private func newHash(_ password: String, user: UserRecord, agency: AgencyRecord, field: String) async throws -> String {
        guard let email = EmailAddress(user.email) else { throw HTTPError.internalError }
        if let problem = services.passwords.problem(with: password, agencySlug: agency.slug, email: email) {
            throw ValidationFailure(field: field, message: problem)
        }
        return try await services.hasher.hash(password)
    }

    private func accept(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try request.decode(Accept.self)
        let token = OpaqueToken(parsing: body.token, kind: .invitation)
        let (agency, user) = try await holder(of: token, kind: .invitation)
        guard user.status == .invited else { throw Self.invalidToken }
        let hash = try await newHash(body.password, user: user, agency: agency, field: "password")
        try await services.db.withAgency(agency.id) { tx in
            guard let token, try await UserTokenStore.consume(token, kind: .invitation, in: tx) == user.id else { throw Self.invalidToken }
            try await UserStore.setPassword(user.id, hash: hash, in: tx)
            try await tx.execute("UPDATE users SET status = 'active', updated_at = now() WHERE id = \(user.id) AND status = 'invited'")
            try await AuditTrail(request: request, agency: agency).record(
                "user.activated", actor: .user(user.id, roles: user.roleSet), target: .user(user.id), reason: "invitation_accepted", in: tx)
        }
        return HTTPResponse(status: .noContent)
    }

    private func requestReset(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try request.decode(ResetRequest.self)
        let accepted = HTTPResponse(status: .accepted)
        guard AgencySlug(body.agency) != nil, let email = EmailAddress(body.email),
              let agency = try await services.registry.find(slug: body.agency), agency.acceptsSignIn else { return accepted }
        try await services.db.withAgency(agency.id) { tx in
            guard let user = try await UserStore.find(email: email.rawValue, in: tx), user.status == .active else { return }
            // At most one email a minute per user: the form cannot be used to flood a mailbox.
            let recent = try await tx.query("""
                SELECT 1 FROM user_tokens WHERE user_id = \(user.id) AND kind = 'password_reset' AND created_at > now() - interval '1 minute'
                """)
            guard recent.isEmpty else { return }
            let token = try await UserTokenStore.issue(.passwordReset, for: user.id, agency: agency.id, in: tx)
            try await services.mailer.passwordReset(to: .init(user), token: token, agency: agency, in: tx)
            try await AuditTrail(request: request, agency: agency).record(
                "auth.password.reset_requested", actor: .anonymous(claimed: email.rawValue), target: .user(user.id), in: tx)
        }
        return accepted
    }

    private enum ConfirmOutcome {
        case done
        case codeRequired
        case invalidCode
    }

    private func confirmReset(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try request.decode(ResetConfirm.self)
        let token = OpaqueToken(parsing: body.token, kind: .passwordReset)
        let (agency, user) = try await holder(of: token, kind: .passwordReset)
        guard user.status == .active, let token else { throw Self.invalidToken }
        let hash = try await newHash(body.newPassword, user: user, agency: agency, field: "new_password")
        let dataKey = try services.registry.dataKey(of: agency)
        let audit = AuditTrail(request: request, agency: agency)
        let actor = AuditActor.user(user.id, roles: user.roleSet)
        let outcome = try await services.db.withAgency(agency.id) { tx -> ConfirmOutcome in
            guard try await UserTokenStore.peek(token, kind: .passwordReset, in: tx) == user.id else { throw Self.invalidToken }
            if user.mfaEnrolledAt != nil {
                guard let code = body.code else { return .codeRequired }
                if try await SecondFactor.check(code, user: user.id, dataKey: dataKey, in: tx) == .invalid {
                    // Five wrong codes spend the token.
                    try await tx.execute("""
                        UPDATE user_tokens SET attempts = attempts + 1,
                            used_at = CASE WHEN attempts + 1 >= \(UserTokenStore.mfaAttempts) THEN now() END
                        WHERE hash = \(token.hash)
                        """)
                    try await audit.record("auth.mfa.failed", actor: actor, target: .user(user.id), outcome: .failure,
                                           reason: "password_reset", in: tx)
                    return .invalidCode
                }
            }
            guard try await UserTokenStore.consume(token, kind: .passwordReset, in: tx) == user.id else { throw Self.invalidToken }
            try await UserStore.setPassword(user.id, hash: hash, in: tx)
            try await ThrottleStore.unlock(email: user.email, in: tx)
            let revoked = try await SessionStore.revokeAll(of: user.id, reason: "password_reset", agency: agency.id, in: tx)
            try await services.mailer.notice("password_changed", to: .init(user), agency: agency, in: tx)
            try await audit.record("auth.password.reset", actor: actor, target: .user(user.id),
                                   reason: "\(revoked.count) sessions revoked", in: tx)
            return .done
        }
        switch outcome {
        case .done: return HTTPResponse(status: .noContent)
        case .codeRequired:
            throw HTTPError.unprocessable("This account uses MFA: give a current code or a recovery code.", code: "mfa_code_required")
        case .invalidCode: throw HTTPError.unauthorized("The code is not right.", code: "invalid_code")
        }
    }
}
