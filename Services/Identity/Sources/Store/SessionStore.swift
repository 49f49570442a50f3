import Foundation
import MusterCore
import MusterDatabase

/// One session as its owner sees it (no token hashes).
struct SessionRecord: Decodable, Sendable {
    let id: SessionID
    let userID: UserID
    let amr: [String]
    let scope: String?
    let createdAt: Date
    let lastUsedAt: Date
    let authenticatedAt: Date
    let expiresAt: Date
    let clientAddress: String?
    let userAgent: String?
}

/// Sessions and their rotating refresh tokens (`sessions`, `used_refresh_tokens`),
/// and the revocation feed (`platform.revocations`) that other services poll.
enum SessionStore {
    static let columns: SQL = "id, user_id, amr, scope, created_at, last_used_at, authenticated_at, expires_at, client_address, user_agent"

    struct Client: Sendable {
        let address: String
        let userAgent: String?
    }

    /// Starts a session; returns it and its first refresh token.
    static func create(user: UserID, agency: AgencyID, amr: [String], scope: String?, settings: AgencySettings,
                       client: Client, in tx: Transaction) async throws -> (SessionID, OpaqueToken) {
        let id = SessionID()
        let refresh = OpaqueToken(kind: .refresh, agency: agency)
        try await tx.execute("""
            INSERT INTO sessions (id, user_id, refresh_hash, amr, scope, idle_expires_at, expires_at, client_address, user_agent)
            VALUES (\(id), \(user), \(refresh.hash), \(amr), \(scope),
                    now() + least(\(settings.sessionIdleMinutes) * interval '1 minute', \(settings.sessionMaxHours) * interval '1 hour'),
                    now() + \(settings.sessionMaxHours) * interval '1 hour', \(client.address), \(client.userAgent.map { String($0.prefix(300)) }))
            """)
        return (id, refresh)
    }

    enum Rotation {
        case rotated(SessionRecord, OpaqueToken)
        /// A refresh token that was already used: its session is now revoked.
        case reused(SessionID, UserID)
        case invalid
    }

    /// Replaces the session's refresh token, or detects the reuse of a dead one.
    static func rotate(_ token: OpaqueToken, settings: AgencySettings, in tx: Transaction) async throws -> Rotation {
        let live = try await tx.query("""
            SELECT \(columns) FROM sessions
            WHERE refresh_hash = \(token.hash) AND revoked_at IS NULL AND expires_at > now() AND idle_expires_at > now()
            FOR UPDATE
            """, decoding: SessionRecord.self)
        if let session = live.first {
            let next = OpaqueToken(kind: .refresh, agency: token.agency)
            try await tx.execute("INSERT INTO used_refresh_tokens (hash, session_id) VALUES (\(token.hash), \(session.id))")
            try await tx.execute("""
                UPDATE sessions SET refresh_hash = \(next.hash), last_used_at = now(),
                    idle_expires_at = least(expires_at, now() + \(settings.sessionIdleMinutes) * interval '1 minute')
                WHERE id = \(session.id)
                """)
            return .rotated(session, next)
        }
        let used = try await tx.query("""
            SELECT s.id, s.user_id FROM used_refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.hash = \(token.hash)
            """)
        if let row = used.first {
            let session = try row.decode("id", as: SessionID.self)
            _ = try await revoke(session, reason: "refresh_token_reuse", agency: token.agency, in: tx)
            return .reused(session, try row.decode("user_id", as: UserID.self))
        }
        return .invalid
    }

    /// Revokes one session (of `user`, when given); `false` when it was not live.
    static func revoke(_ session: SessionID, user: UserID? = nil, reason: String, agency: AgencyID, in tx: Transaction) async throws -> Bool {
        let revoked = try await tx.execute("""
            UPDATE sessions SET revoked_at = now(), revoked_reason = \(reason)
            WHERE id = \(session) AND revoked_at IS NULL AND (\(user) IS NULL OR user_id = \(user))
            """)
        guard revoked == 1 else { return false }
        try await recordRevocations([session], agency: agency, in: tx)
        return true
    }

    /// Revokes every live session of `user` but `except`; returns those revoked.
    @discardableResult
    static func revokeAll(of user: UserID, except: SessionID? = nil, reason: String, agency: AgencyID,
                          in tx: Transaction) async throws -> [SessionID] {
        let sessions = try await tx.query("""
            UPDATE sessions SET revoked_at = now(), revoked_reason = \(reason)
            WHERE user_id = \(user) AND revoked_at IS NULL AND (\(except) IS NULL OR id <> \(except))
            RETURNING id
            """).map { try $0.decode("id", as: SessionID.self) }
        try await recordRevocations(sessions, agency: agency, in: tx)
        return sessions
    }

    static func recordRevocations(_ sessions: [SessionID], agency: AgencyID, in tx: Transaction) async throws {
        guard !sessions.isEmpty else { return }
        try await tx.execute("""
            INSERT INTO \(SchemaName.platform).revocations (agency_id, session_id)
            SELECT \(agency), unnest(\(sessions))
            """)
    }

    static func live(of user: UserID, in tx: Transaction) async throws -> [SessionRecord] {
        try await tx.query(selectingLive(of: user), decoding: SessionRecord.self)
    }

    /// The statement of ``live(of:in:)``, to send with others in one round trip.
    static func selectingLive(of user: UserID) -> SQL {
        """
        SELECT \(columns) FROM sessions
        WHERE user_id = \(user) AND revoked_at IS NULL AND expires_at > now() AND idle_expires_at > now()
        ORDER BY last_used_at DESC LIMIT 200
        """
    }

    /// `user`'s live session `id`, or nil.
    static func live(_ id: SessionID, of user: UserID, in tx: Transaction) async throws -> SessionRecord? {
        try await tx.query("""
            SELECT \(columns) FROM sessions
            WHERE id = \(id) AND user_id = \(user) AND revoked_at IS NULL AND expires_at > now() AND idle_expires_at > now()
            """, decoding: SessionRecord.self).first
    }

    /// Marks the session freshly authenticated (password or code just checked).
    static func reauthenticated(_ session: SessionID, in tx: Transaction) async throws {
        try await tx.execute("UPDATE sessions SET authenticated_at = now() WHERE id = \(session)")
    }

    /// Whether the session authenticated within the last `seconds`.
    static func isFresh(_ session: SessionID, seconds: Int, in tx: Transaction) async throws -> Bool {
        try await tx.query("""
            SELECT 1 FROM sessions WHERE id = \(session) AND authenticated_at > now() - \(seconds) * interval '1 second'
            """).count == 1
    }
}
