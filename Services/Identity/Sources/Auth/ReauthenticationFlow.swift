import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `POST /api/v1/auth/reauthenticate {"password"} | {"code"}`: the caller proves a
/// credential again and gets a new access token of the same session whose
/// `auth_time` is now (acknowledging a policy needs one within five minutes).
/// The attempt is counted like a login (pair, address, account; a wrong answer is
/// a failure that can lock the account); the password is checked with the same
/// scrypt, outside any transaction; a code is a TOTP or recovery code of a user
/// with MFA, used up as at sign-in.
struct ReauthenticationFlow: Sendable {
    let services: IdentityRuntime

    /// `{"access_token","token_type":"Bearer","expires_in"}`: the session's refresh token stays as it is.
    struct AccessToken: Encodable {
        let accessToken: String
        let tokenType = "Bearer"
        let expiresIn: Int
    }

    static var failed: HTTPError {
        HTTPError.unauthorized("The password or code is not right.", code: "invalid_credentials")
    }

    private enum Admission {
        case throttled(Int)
        case check(UserRecord, SessionRecord, locked: Bool)
    }

    private enum Outcome {
        case failed
        case reauthenticated(SessionRecord, at: Int)
    }

    func reauthenticate(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let proof = try request.decode(FreshAuthentication.Proof.self)
        guard (proof.password == nil) != (proof.code == nil) else {
            throw HTTPError.badRequest("Give either a password or a code.", code: "invalid_json")
        }
        let agency = try await services.agency(of: user)
        let address = request.context.clientAddress
        let audit = AuditTrail(request: request, agency: agency)
        let actor = AuditActor.principal(user)
        let admission = try await services.db.withAgency(agency.id) { tx -> Admission in
            let record = try await MeRoutes.me(user, in: tx)
            guard let session = try await SessionStore.live(user.sessionID, of: user.userID, in: tx) else { throw HTTPError.unauthorized() }
            let throttle = try await ThrottleStore.reserveAttempt(email: record.email, address: address, in: tx)
            if case .throttled(let wait) = throttle {
                try await audit.record("auth.reauthentication.throttled", actor: actor, target: .user(user.userID), outcome: .denied,
                                       reason: "retry_after_\(wait)s", in: tx)
                return .throttled(wait)
            }
            return .check(record, session, locked: throttle == .locked)
        }
        guard case .check(let record, let session, let locked) = admission else {
            if case .throttled(let wait) = admission { throw HTTPError.tooManyRequests(retryAfter: wait) }
            throw Self.failed
        }
        var passwordHeld = false
        if let password = proof.password {
            if let hash = record.passwordHash, !locked {
                passwordHeld = try await services.hasher.verify(password, against: hash) != .invalid
            } else {
                _ = try await services.hasher.dummyVerify(password)
            }
        }
        let dataKey = try services.registry.dataKey(of: agency)
        let outcome = try await services.db.withAgency(agency.id) { tx -> Outcome in
            var method = "password"
            var passed = passwordHeld
            if let code = proof.code, !locked {
                let factor = try await SecondFactor.check(code, user: user.userID, dataKey: dataKey, in: tx)
                passed = factor != .invalid
                method = factor == .recoveryCode ? "recovery_code" : "totp"
            }
            guard passed else {
                try await audit.record("auth.reauthentication.failed", actor: actor, target: .user(user.userID), outcome: .failure,
                                       reason: locked ? "account_locked" : "wrong_\(proof.password != nil ? "password" : "code")", in: tx)
                if !locked {
                    try await services.lockIfExhausted(email: record.email, user: user.userID, actor: actor, agency: agency,
                                                       audit: audit, in: tx)
                }
                return .failed
            }
            try await ThrottleStore.succeeded(email: record.email, address: address, in: tx)
            try await SessionStore.reauthenticated(session.id, in: tx)
            try await audit.record("auth.reauthentication.succeeded", actor: actor, target: .session(session.id), reason: method, in: tx)
            return .reauthenticated(session, at: Timestamp.nowSeconds)
        }
        guard case .reauthenticated(let session, let now) = outcome else { throw Self.failed }
        let access = try await services.issuer.accessToken(user: user.userID, agency: agency, session: session.id, roles: record.roleSet,
                                                           amr: session.amr, authTime: now, scope: session.scope)
        return try HTTPResponse.json(AccessToken(accessToken: access.token, expiresIn: access.expiresIn)).noStore()
    }
}
