import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// `GET /internal/revocations?since=<cursor>` (any service's credential): sessions
/// revoked after the cursor and every agency suspended now, for the pollers that
/// let each service refuse such tokens within a minute (`RevocationPoller`).
/// Without a cursor, the sessions revoked within the longest token lifetime.
struct RevocationRoutes {
    static let pageSize = 5000

    let services: IdentityRuntime

    func register(on router: Router) {
        let auth = ServiceAuthMiddleware(verifier: services.context.credentials.verifier)
        router.get(RevocationFeed.path, middleware: [auth]) { request in
            let since: Int?
            if let text = request.query["since"] {
                guard let value = Int(text), value >= 0 else { throw HTTPError.badRequest("since must be a cursor from this feed.", code: "invalid_cursor") }
                since = value
            } else {
                since = nil
            }
            let filter: SQL = since.map { "seq > \($0)" } ?? "revoked_at > now() - interval '1 hour'"
            let sessions = try await services.db.query("""
                SELECT seq, session_id FROM \(SchemaName.platform).revocations WHERE \(filter) ORDER BY seq LIMIT \(Self.pageSize)
                """)
            let suspended = try await services.db.query("""
                SELECT id FROM \(SchemaName.platform).agencies WHERE status = 'suspended'
                """).map { try $0.decode("id", as: AgencyID.self) }
            let latest = try await services.db.query("SELECT coalesce(max(seq), 0) AS seq FROM \(SchemaName.platform).revocations")[0]
                .decode("seq", as: Int.self)
            let cursor = try sessions.last?.decode("seq", as: Int.self) ?? since ?? latest
            return try .json(RevocationFeed(revokedSessions: try sessions.map { try $0.decode("session_id", as: SessionID.self) },
                                            suspendedAgencies: suspended, nextCursor: String(cursor),
                                            hasMore: sessions.count == Self.pageSize))
        }
    }
}
