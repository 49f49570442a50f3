import Foundation
import MusterAuth
import MusterCore
import MusterDatabase

enum UserStatus: String, Codable, Sendable, SQLBindable {
    case invited, active, deactivated
}

/// One person of an agency (`users` in the agency schema), without secrets but the password hash.
struct UserRecord: Decodable, Sendable {
    let id: UserID
    let email: String
    let name: String
    let roles: [String]
    let status: UserStatus
    let passwordHash: String?
    let mfaEnrolledAt: Date?
    /// Set when an admin reset the user's MFA: the next login may only enrol again.
    let mfaResetAt: Date?
    let locked: Bool
    let createdAt: Date
    let updatedAt: Date

    var roleSet: [Role] { roles.compactMap(Role.init(rawValue:)).sorted() }
}

/// SQL over `users`; every call runs inside the caller's `withAgency` transaction.
enum UserStore {
    static let columns: SQL = """
        u.id, u.email, u.name, u.roles, u.status, u.password_hash, u.mfa_enrolled_at, u.mfa_reset_at, u.created_at, u.updated_at,
        EXISTS (SELECT 1 FROM account_failures f WHERE f.email = u.email AND f.locked_at IS NOT NULL) AS locked
        """

    static func find(_ id: UserID, in tx: Transaction, forUpdate: Bool = false) async throws -> UserRecord? {
        let lock: SQL = forUpdate ? " FOR UPDATE OF u" : ""
        return try await tx.query("\(selecting(id))\(lock)", decoding: UserRecord.self).first
    }

    /// The statement of ``find(_:in:forUpdate:)``, to send with others in one round trip.
    static func selecting(_ id: UserID) -> SQL { "SELECT \(columns) FROM users u WHERE u.id = \(id)" }

    static func find(email: String, in tx: Transaction) async throws -> UserRecord? {
        try await tx.query("SELECT \(columns) FROM users u WHERE u.email = \(email)", decoding: UserRecord.self).first
    }

    /// Inserts an invited user; `nil` when the email is taken.
    static func insertInvited(email: EmailAddress, name: String, roles: [Role], in tx: Transaction) async throws -> UserRecord? {
        let id = UserID()
        let inserted = try await tx.execute("""
            INSERT INTO users (id, email, name, roles, status) VALUES (\(id), \(email.rawValue), \(name), \(roles.map(\.rawValue)), 'invited')
            ON CONFLICT (email) DO NOTHING
            """)
        return inserted == 1 ? try await find(id, in: tx) : nil
    }

    /// Active agency admins other than `user`, locked until the transaction ends
    /// so that two admins cannot demote each other at once.
    static func otherActiveAdmins(than user: UserID, in tx: Transaction) async throws -> Int {
        try await tx.query("""
            SELECT id FROM users WHERE status = 'active' AND \(Role.agencyAdmin.rawValue) = ANY(roles) AND id <> \(user) FOR UPDATE
            """).count
    }

    static func setPassword(_ user: UserID, hash: String, in tx: Transaction) async throws {
        try await tx.execute("UPDATE users SET password_hash = \(hash), password_changed_at = now(), updated_at = now() WHERE id = \(user)")
    }

    /// Active admins' addresses (lock notices).
    static func activeAdmins(in tx: Transaction) async throws -> [(id: UserID, email: String, name: String)] {
        try await activeUsers(with: .agencyAdmin, in: tx)
    }

    /// The agency's active users who hold `role`.
    static func activeUsers(with role: Role, in tx: Transaction) async throws -> [(id: UserID, email: String, name: String)] {
        try await tx.query("SELECT id, email, name FROM users WHERE status = 'active' AND \(role.rawValue) = ANY(roles)")
            .map { (try $0.decode("id", as: UserID.self), try $0.decode("email", as: String.self), try $0.decode("name", as: String.self)) }
    }
}
