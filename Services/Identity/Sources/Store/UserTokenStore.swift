import Foundation
import MusterCore
import MusterDatabase

/// Single-use tokens in `user_tokens`: invitations, password resets, MFA steps.
enum UserTokenStore {
    enum Kind: String, SQLBindable, Sendable {
        case invitation, passwordReset = "password_reset", mfa

        var opaque: OpaqueToken.Kind {
            switch self {
            case .invitation: .invitation
            case .passwordReset: .passwordReset
            case .mfa: .mfa
            }
        }

        var lifetime: String {
            switch self {
            case .invitation: "72 hours"
            case .passwordReset: "30 minutes"
            case .mfa: "5 minutes"
            }
        }
    }

    /// MFA codes one login step may try.
    static let mfaAttempts = 5

    /// A new token for `user`; earlier unused tokens of the same kind stop working.
    static func issue(_ kind: Kind, for user: UserID, agency: AgencyID, in tx: Transaction) async throws -> OpaqueToken {
        let token = OpaqueToken(kind: kind.opaque, agency: agency)
        try await tx.execute("DELETE FROM user_tokens WHERE user_id = \(user) AND kind = \(kind) AND used_at IS NULL")
        try await tx.execute("""
            INSERT INTO user_tokens (hash, user_id, kind, expires_at)
            VALUES (\(token.hash), \(user), \(kind), now() + \(kind.lifetime)::interval)
            """)
        return token
    }

    /// Uses the token up: its user, or `nil` when unknown, used, expired or of another kind.
    static func consume(_ token: OpaqueToken, kind: Kind, in tx: Transaction) async throws -> UserID? {
        try await tx.query("""
            UPDATE user_tokens SET used_at = now()
            WHERE hash = \(token.hash) AND kind = \(kind) AND used_at IS NULL AND expires_at > now()
            RETURNING user_id
            """).first?.decode("user_id", as: UserID.self)
    }

    /// Counts one try of an MFA-step token (atomically, at most `mfaAttempts`): its user, or `nil`.
    static func tryMFA(_ token: OpaqueToken, in tx: Transaction) async throws -> UserID? {
        try await tx.query("""
            UPDATE user_tokens SET attempts = attempts + 1
            WHERE hash = \(token.hash) AND kind = \(Kind.mfa) AND used_at IS NULL AND expires_at > now() AND attempts < \(mfaAttempts)
            RETURNING user_id
            """).first?.decode("user_id", as: UserID.self)
    }

    static func markUsed(_ token: OpaqueToken, in tx: Transaction) async throws {
        try await tx.execute("UPDATE user_tokens SET used_at = now() WHERE hash = \(token.hash)")
    }

    /// The user of a live token without using it up (password-reset confirm checks MFA first).
    static func peek(_ token: OpaqueToken, kind: Kind, in tx: Transaction) async throws -> UserID? {
        try await tx.query("""
            SELECT user_id FROM user_tokens WHERE hash = \(token.hash) AND kind = \(kind) AND used_at IS NULL AND expires_at > now()
            FOR UPDATE
            """).first?.decode("user_id", as: UserID.self)
    }
}
