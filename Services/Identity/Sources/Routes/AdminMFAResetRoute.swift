import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// `POST /api/v1/users/{id}/mfa/reset {"password"|"code"}`: an agency admin, after
/// re-entering their own password or code, removes a user's authenticator and
/// recovery codes; the user's sessions end and the next login may only enrol again.
/// Audited and emailed to the user.
struct AdminMFAResetRoute {
    let services: IdentityRuntime

    func register(on api: RouteGroup) {
        api.post("/users/{id}/mfa/reset", bodyLimit: AuthRoutes.bodyLimit) { request in
            let admin = try services.requireAdmin(request)
            let target: UserID = try request.context.parameters.id("id", what: "user")
            let proof = try FreshAuthentication.Proof.from(request)
            guard proof.password != nil || proof.code != nil else {
                throw HTTPError.badRequest("Re-enter your password ('password') or a code ('code').", code: "invalid_json")
            }
            let agency = try services.agency(of: request)
            let fresh = FreshAuthentication(services: services)
            let me = try await services.db.withAgency(agency.id) { tx in try await MeRoutes.me(admin, in: tx) }
            let held = try await fresh.passwordHolds(proof, for: me)
            let revoked = try await services.db.withAgency(agency.id) { tx -> [SessionID] in
                try await fresh.require(proof, passwordHeld: held, user: admin, agency: agency, in: tx)
                guard let user = try await UserStore.find(target, in: tx, forUpdate: true) else { throw HTTPError.notFound("user") }
                guard user.mfaEnrolledAt != nil else { throw HTTPError.conflict("The user has no authenticator.", code: "mfa_not_enabled") }
                try await MFAReset.clear(user.id, adminReset: true, in: tx)
                let revoked = try await SessionStore.revokeAll(of: user.id, reason: "mfa_reset", agency: agency.id, in: tx)
                try await services.mailer.notice("mfa_disabled", to: .init(user), agency: agency, in: tx)
                try await AuditTrail(request: request, agency: agency).record("auth.mfa.reset", actor: .principal(admin),
                                                                             target: .user(user.id), reason: "reset by an agency admin", in: tx)
                return revoked
            }
            for session in revoked { services.verifier.invalidate(session: session) }
            return HTTPResponse(status: .noContent)
        }
    }
}
