import MusterAuth
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP

/// "Prove it is you again": enrolling or removing MFA and regenerating recovery
/// codes need a password or code given with the request, or a session that
/// authenticated within the last five minutes (`POST /me/reauthenticate` renews it).
struct FreshAuthentication: Sendable {
    static let windowSeconds = 300

    /// `{"password"}` or `{"code"}` (a TOTP or recovery code), both optional.
    struct Proof: Decodable {
        let password: String?
        let code: String?

        /// The body's proof, or none when the body is empty.
        static func from(_ request: HTTPRequest) throws -> Proof {
            request.body.isEmpty ? Proof(password: nil, code: nil) : try request.decode(Proof.self)
        }
    }

    let services: IdentityRuntime

    /// Checks the password part now (scrypt, outside any transaction); `false` when a password was given and is wrong.
    func passwordHolds(_ proof: Proof, for user: UserRecord) async throws -> Bool {
        guard let password = proof.password else { return true }
        guard let hash = user.passwordHash else { return false }
        return try await services.hasher.verify(password, against: hash) != .invalid
    }

    /// Inside the write transaction: the code (if given) is checked and used up; with
    /// neither password nor code, the session must be fresh. Throws `403` otherwise.
    func require(_ proof: Proof, passwordHeld: Bool, user: UserPrincipal, agency: AgencyRecord, in tx: Transaction) async throws {
        if proof.password != nil {
            guard passwordHeld else { throw Self.failed }
        } else if let code = proof.code {
            guard try await SecondFactor.check(code, user: user.userID, dataKey: try services.registry.dataKey(of: agency), in: tx) != .invalid else {
                throw Self.failed
            }
        } else {
            guard try await SessionStore.isFresh(user.sessionID, seconds: Self.windowSeconds, in: tx) else {
                throw HTTPError(.forbidden, code: "reauthentication_required",
                                message: "Confirm your password or a code first (or within the last five minutes).")
            }
            return
        }
        try await SessionStore.reauthenticated(user.sessionID, in: tx)
    }

    static var failed: HTTPError {
        HTTPError(.forbidden, code: "reauthentication_failed", message: "The password or code is not right.")
    }
}
