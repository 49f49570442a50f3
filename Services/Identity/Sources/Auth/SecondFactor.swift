import Foundation
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterTime

/// Checks a TOTP or recovery code of a user, in the caller's transaction, and
/// uses it up: a TOTP step is accepted once only (the last step is stored and
/// only later ones pass), a recovery code once only. TOTP seeds are sealed with
/// AES-256-GCM under the agency's data key, bound to the user id.
enum SecondFactor {
    enum Outcome: Equatable {
        case totp
        case recoveryCode
        case invalid
    }

    static func check(_ code: String, user: UserID, dataKey: SymmetricKey, in tx: Transaction) async throws -> Outcome {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        if RecoveryCodes.looksLikeCode(trimmed) {
            let used = try await tx.execute("""
                UPDATE recovery_codes SET used_at = now()
                WHERE user_id = \(user) AND code_hash = \(RecoveryCodes.hash(trimmed, user: user)) AND used_at IS NULL
                """)
            return used == 1 ? .recoveryCode : .invalid
        }
        let rows = try await tx.query("SELECT totp_secret, totp_last_step FROM users WHERE id = \(user) FOR UPDATE")
        guard let row = rows.first, let sealed = try row.decode("totp_secret", as: [UInt8]?.self) else { return .invalid }
        let totp = TOTP(secret: try open(sealed, user: user, key: dataKey))
        guard let step = totp.verify(trimmed, at: Timestamp.nowSeconds, after: try row.decode("totp_last_step", as: Int64?.self)) else {
            return .invalid
        }
        try await tx.execute("UPDATE users SET totp_last_step = \(step) WHERE id = \(user)")
        return .totp
    }

    static func seal(_ secret: [UInt8], user: UserID, key: SymmetricKey) throws -> [UInt8] {
        try AESGCM.seal(secret, with: key, aad: aad(user))
    }

    static func open(_ sealed: [UInt8], user: UserID, key: SymmetricKey) throws -> [UInt8] {
        try AESGCM.open(sealed, with: key, aad: aad(user))
    }

    /// New recovery codes replace the old ones; returns them in clear, to show once.
    static func replaceRecoveryCodes(of user: UserID, in tx: Transaction) async throws -> [String] {
        let codes = RecoveryCodes.generate()
        try await tx.execute("DELETE FROM recovery_codes WHERE user_id = \(user)")
        for code in codes {
            try await tx.execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES (\(user), \(RecoveryCodes.hash(code, user: user)))")
        }
        return codes
    }

    private static func aad(_ user: UserID) -> [UInt8] { Array("totp-seed:\(user.description)".utf8) }
}
