import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/me/mfa/*` and `/api/v1/me/reauthenticate`: TOTP enrolment (RFC 6238,
/// SHA-1, 6 digits, 30 s), removal, recovery codes. Reachable with a token limited
/// to MFA enrolment.
struct MFARoutes {
    let services: IdentityRuntime

    struct Code: Decodable {
        let code: String
    }

    struct Enrollment: Encodable {
        let secret: String
        let otpauthURI: String
    }

    struct Codes: Encodable {
        let recoveryCodes: [String]
    }

    func register(limited: RouteGroup) {
        let limit = AuthRoutes.bodyLimit
        limited.post("/me/reauthenticate", bodyLimit: limit) { request in try await reauthenticate(request) }
        limited.post("/me/mfa/totp", bodyLimit: limit) { request in try await begin(request) }
        limited.post("/me/mfa/totp/confirm", bodyLimit: limit) { request in try await confirm(request) }
        limited.delete("/me/mfa/totp") { request in try await remove(request) }
        limited.post("/me/mfa/recovery-codes", bodyLimit: limit) { request in try await regenerate(request) }
    }

    /// Runs `body` for the caller after the fresh-authentication check.
    private func withFreshCaller<T>(_ request: HTTPRequest,
                                    _ body: (UserPrincipal, AgencyRecord, UserRecord, Transaction) async throws -> T) async throws -> T {
        let user = try request.context.requireUser()
        let agency = try await services.agency(of: user)
        let proof = try FreshAuthentication.Proof.from(request)
        let fresh = FreshAuthentication(services: services)
        let record = try await services.db.withAgency(agency.id) { tx in try await MeRoutes.me(user, in: tx) }
        let held = try await fresh.passwordHolds(proof, for: record)
        return try await services.db.withAgency(agency.id) { tx in
            try await fresh.require(proof, passwordHeld: held, user: user, agency: agency, in: tx)
            return try await body(user, agency, record, tx)
        }
    }

    private func reauthenticate(_ request: HTTPRequest) async throws -> HTTPResponse {
        let proof = try FreshAuthentication.Proof.from(request)
        guard proof.password != nil || proof.code != nil else {
            throw HTTPError.badRequest("Give a password or a code.", code: "invalid_json")
        }
        try await withFreshCaller(request) { _, _, _, _ in }
        return HTTPResponse(status: .noContent)
    }

    private func begin(_ request: HTTPRequest) async throws -> HTTPResponse {
        let enrollment = try await withFreshCaller(request) { user, agency, record, tx -> Enrollment in
            guard record.mfaEnrolledAt == nil else {
                throw HTTPError.conflict("An authenticator is already enrolled; remove it first.", code: "mfa_already_enabled")
            }
            let secret = TOTP.generateSecret()
            let sealed = try SecondFactor.seal(secret, user: user.userID, key: try services.registry.dataKey(of: agency))
            try await tx.execute("UPDATE users SET totp_pending_secret = \(sealed), updated_at = now() WHERE id = \(user.userID)")
            return Enrollment(secret: Base32.encode(secret, padded: false),
                              otpauthURI: TOTP(secret: secret).provisioningURI(agency: agency.slug, email: record.email))
        }
        return try HTTPResponse.json(enrollment, status: .created).noStore()
    }

    private func confirm(_ request: HTTPRequest) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let body = try request.decode(Code.self)
        let agency = try await services.agency(of: user)
        let key = try services.registry.dataKey(of: agency)
        let codes = try await services.db.withAgency(agency.id) { tx -> [String] in
            let record = try await MeRoutes.me(user, in: tx)
            let pending = try await tx.query("SELECT totp_pending_secret FROM users WHERE id = \(user.userID) FOR UPDATE")
            guard record.mfaEnrolledAt == nil, let sealed = try pending.first?.decode("totp_pending_secret", as: [UInt8]?.self) else {
                throw HTTPError.conflict("Start the enrolment first.", code: "no_pending_enrollment")
            }
            let secret = try SecondFactor.open(sealed, user: user.userID, key: key)
            guard let step = TOTP(secret: secret).verify(body.code.trimmingCharacters(in: .whitespaces), at: Timestamp.nowSeconds) else {
                throw HTTPError.unprocessable("The code does not match; check the authenticator's clock.", code: "invalid_code")
            }
            try await tx.execute("""
                UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = \(step),
                    mfa_enrolled_at = now(), mfa_reset_at = NULL, updated_at = now()
                WHERE id = \(user.userID)
                """)
            let codes = try await SecondFactor.replaceRecoveryCodes(of: user.userID, in: tx)
            try await services.mailer.notice("mfa_enabled", to: .init(record), agency: agency, in: tx)
            try await AuditTrail(request: request, agency: agency).record("auth.mfa.enrolled", actor: .principal(user),
                                                                         target: .user(user.userID), in: tx)
            return codes
        }
        return try HTTPResponse.json(Codes(recoveryCodes: codes)).noStore()
    }

    private func remove(_ request: HTTPRequest) async throws -> HTTPResponse {
        let proof = try FreshAuthentication.Proof.from(request)
        guard proof.code != nil else {
            throw HTTPError.badRequest("Removing MFA needs a current code ('code').", code: "invalid_json")
        }
        try await withFreshCaller(request) { user, agency, record, tx in
            guard record.mfaEnrolledAt != nil else { throw HTTPError.notFound("authenticator") }
            if try await tx.setting(AgencySettingKeys.policy).requiresMFA(for: record.roleSet) {
                throw HTTPError.unprocessable("Your agency requires MFA for your role.", code: "mfa_required_by_policy")
            }
            try await MFAReset.clear(user.userID, in: tx)
            try await services.mailer.notice("mfa_disabled", to: .init(record), agency: agency, in: tx)
            try await AuditTrail(request: request, agency: agency).record("auth.mfa.removed", actor: .principal(user),
                                                                         target: .user(user.userID), in: tx)
        }
        return HTTPResponse(status: .noContent)
    }

    private func regenerate(_ request: HTTPRequest) async throws -> HTTPResponse {
        let codes = try await withFreshCaller(request) { user, agency, record, tx -> [String] in
            guard record.mfaEnrolledAt != nil else { throw HTTPError.conflict("Enrol an authenticator first.", code: "mfa_not_enabled") }
            let codes = try await SecondFactor.replaceRecoveryCodes(of: user.userID, in: tx)
            try await AuditTrail(request: request, agency: agency).record("auth.mfa.recovery_codes_regenerated", actor: .principal(user),
                                                                         target: .user(user.userID), in: tx)
            return codes
        }
        return try HTTPResponse.json(Codes(recoveryCodes: codes)).noStore()
    }
}

/// Removing a user's authenticator and recovery codes (by the user, or an admin's reset).
enum MFAReset {
    static func clear(_ user: UserID, adminReset: Bool = false, in tx: Transaction) async throws {
        try await tx.execute("""
            UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL, mfa_enrolled_at = NULL,
                mfa_reset_at = CASE WHEN \(adminReset) THEN now() END, updated_at = now()
            WHERE id = \(user)
            """)
        try await tx.execute("DELETE FROM recovery_codes WHERE user_id = \(user)")
    }
}
