import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `POST /api/v1/auth/login`: throttling first (reserved in the database), then
/// one scrypt verification whatever the case, then the outcome in a second
/// transaction with its audit event. Wrong agency, unknown email, wrong password,
/// deactivated or locked user: the same `401 invalid_credentials` after the same work.
struct LoginFlow: Sendable {
    let services: IdentityRuntime

    struct Body: Decodable {
        let agency: String
        let email: String
        let password: String
    }

    static var invalidCredentials: HTTPError {
        HTTPError.unauthorized("The agency, email or password is not right.", code: "invalid_credentials")
    }

    private enum Admission {
        case throttled(Int)
        case check(UserRecord?, locked: Bool)
    }

    private enum Outcome {
        case failed
        case mfa(OpaqueToken)
        case session(UserRecord, SessionID, OpaqueToken, scope: String?)
    }

    func login(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try request.decode(Body.self)
        let address = request.context.clientAddress
        // Counted as typed (normalised), so an unknown address is counted exactly like a known one.
        let email = String(body.email.trimmingCharacters(in: .whitespaces).lowercased().prefix(EmailAddress.maximumLength))
        guard AgencySlug(body.agency) != nil, let agency = try await services.registry.find(slug: body.agency), agency.acceptsSignIn else {
            if case .throttled(let wait) = try await ThrottleStore.reserveAddress(address, in: services.db) {
                throw HTTPError.tooManyRequests(retryAfter: wait)
            }
            _ = try await services.hasher.dummyVerify(body.password)
            throw Self.invalidCredentials
        }
        let audit = AuditTrail(request: request, agency: agency)
        let claimed = AuditActor.anonymous(claimed: email)
        let admission = try await services.db.withAgency(agency.id) { tx -> Admission in
            let throttle = try await ThrottleStore.reserveAttempt(email: email, address: address, in: tx)
            if case .throttled(let wait) = throttle {
                try await audit.record("auth.login.throttled", actor: claimed, outcome: .denied, reason: "retry_after_\(wait)s", in: tx)
                return .throttled(wait)
            }
            return .check(try await UserStore.find(email: email, in: tx), locked: throttle == .locked)
        }
        guard case .check(let user, let locked) = admission else {
            if case .throttled(let wait) = admission { throw HTTPError.tooManyRequests(retryAfter: wait) }
            throw Self.invalidCredentials
        }

        var verification = PasswordVerification.invalid
        if let hash = user?.passwordHash, !locked {
            verification = try await services.hasher.verify(body.password, against: hash)
        } else {
            _ = try await services.hasher.dummyVerify(body.password)
        }
        let passed = verification != .invalid && user?.status == .active
        let rehash = passed && verification == .validNeedsRehash ? try await services.hasher.hash(body.password) : nil

        let outcome = try await services.db.withAgency(agency.id) { tx -> Outcome in
            guard passed, let user else {
                let reason = user == nil ? "unknown_user" : locked ? "account_locked"
                    : verification == .invalid ? "wrong_password" : "user_\(user!.status.rawValue)"
                try await audit.record("auth.login.failed", actor: claimed, target: user.map { .user($0.id) }, outcome: .failure,
                                       reason: reason, in: tx)
                if !locked {
                    try await services.lockIfExhausted(email: email, user: user?.id, actor: claimed, agency: agency, audit: audit, in: tx)
                }
                return .failed
            }
            try await ThrottleStore.succeeded(email: email, address: address, in: tx)
            if let rehash { try await UserStore.setPassword(user.id, hash: rehash, in: tx) }
            if user.mfaEnrolledAt != nil {
                let token = try await UserTokenStore.issue(.mfa, for: user.id, agency: agency.id, in: tx)
                try await audit.record("auth.login.password_verified", actor: .user(user.id, roles: user.roleSet), target: .user(user.id),
                                       reason: "mfa_required", in: tx)
                return .mfa(token)
            }
            let settings = try await tx.setting(AgencySettingKeys.policy)
            let mustEnroll = settings.requiresMFA(for: user.roleSet) || user.mfaResetAt != nil
            let scope = mustEnroll ? LiveSessionMiddleware.enrollmentScope : nil
            let (session, refresh) = try await SessionStore.create(user: user.id, agency: agency.id, amr: ["pwd"], scope: scope,
                                                                   settings: settings, client: .init(request), in: tx)
            try await audit.record("auth.login.succeeded", actor: .user(user.id, roles: user.roleSet), target: .session(session),
                                   reason: scope, in: tx)
            return .session(user, session, refresh, scope: scope)
        }
        switch outcome {
        case .failed:
            throw Self.invalidCredentials
        case .mfa(let token):
            return try HTTPResponse.json(MFAChallenge(mfaToken: token.text)).noStore()
        case .session(let user, let session, let refresh, let scope):
            return try await services.tokenResponse(to: request, user: user, agency: agency, session: session, refresh: refresh, amr: ["pwd"],
                                                    scope: scope, authTime: Timestamp.nowSeconds)
        }
    }
}

/// `{"mfa_required":true,"mfa_token":…}`.
struct MFAChallenge: Encodable {
    let mfaRequired = true
    let mfaToken: String
}

extension SessionStore.Client {
    init(_ request: HTTPRequest) {
        self.init(address: request.context.clientAddress, userAgent: request.headers["User-Agent"])
    }
}

extension IdentityRuntime {
    /// After a failed password or code: locks the account when that was its last allowed
    /// failure, audits the lock and tells the agency's admins (when the account exists).
    func lockIfExhausted(email: String, user: UserID?, actor: AuditActor, agency: AgencyRecord, audit: AuditTrail,
                         in tx: Transaction) async throws {
        guard try await ThrottleStore.lockIfExhausted(email: email, in: tx) else { return }
        try await audit.record("auth.account.locked", actor: actor, target: user.map { .user($0) }, outcome: .denied,
                               reason: "\(LoginThrottlePolicy.accountFailures) consecutive failures", in: tx)
        guard user != nil else { return }
        for admin in try await UserStore.activeAdmins(in: tx) {
            try await mailer.accountLocked(email, to: .init(id: admin.id, email: admin.email, name: admin.name), agency: agency, in: tx)
        }
    }

    /// Signs an access token for a new or refreshed session and answers with the pair, or
    /// with the access token and the refresh token as the cookie when `request` asks for it.
    func tokenResponse(to request: HTTPRequest, user: UserRecord, agency: AgencyRecord, session: SessionID, refresh: OpaqueToken,
                       amr: [String], scope: String?, authTime: Int) async throws -> HTTPResponse {
        let access = try await issuer.accessToken(user: user.id, agency: agency, session: session, roles: user.roleSet,
                                                  amr: amr, authTime: authTime, scope: scope)
        guard RefreshCookie.isWanted(by: request) else {
            return try HTTPResponse.json(TokenPair(accessToken: access.token, refreshToken: refresh.text, expiresIn: access.expiresIn)).noStore()
        }
        var response = try HTTPResponse.json(TokenPair(accessToken: access.token, refreshToken: nil, expiresIn: access.expiresIn)).noStore()
        response.headers.add("Set-Cookie", RefreshCookie.setting(refresh.text))
        return response
    }
}
