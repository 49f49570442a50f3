import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// Reading and acknowledging policies:
/// - `POST /policies/{id}/versions/{n}/acknowledge`: the caller's own person acknowledges
///   version n, bound to its SHA-256, the time and the client's address. It needs a fresh
///   authentication (the token's `auth_time` within five minutes, else `401
///   reauthentication_required`); acknowledging again answers the first acknowledgement.
/// - `GET /me/policies`: each policy's current version for the caller, with its due date and status.
/// - `GET /policies/{id}/acknowledgements?version=n` and `GET /policies/{id}/outstanding`
///   (who has not acknowledged the current version, with due dates): staff and auditors
///   read everyone, supervisors the people of their units.
struct PolicyAcknowledgementRoutes {
    let services: RecordsRuntime

    static let freshness = 300

    func register(on api: RouteGroup) {
        api.post("/policies/{id}/versions/{version}/acknowledge", bodyLimit: 1 << 10) { request in try await acknowledge(request) }
        api.get("/policies/{id}/acknowledgements") { request in try await acknowledgements(request) }
        api.get("/policies/{id}/outstanding") { request in try await outstanding(request) }
        api.get("/me/policies") { request in try await mine(request) }
    }

    private func acknowledge(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PolicyID = try request.context.parameters.id("id", what: "policy")
        guard let number = request.parameter("version").flatMap(Int.init), number >= 1 else { throw HTTPError.notFound("policy version") }
        _ = try request.context.requireRecentAuthentication(within: Self.freshness)
        let address = request.context.clientAddress.isEmpty ? nil : String(request.context.clientAddress.prefix(100))
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            guard !caller.supportGrant, let person = caller.ownPerson else {
                throw HTTPError(.forbidden, code: "no_person", message: "Only a person of the roster acknowledges policies; your login is linked to none.")
            }
            guard let version = try await PolicyStore.version(number, of: id, in: tx) else { throw HTTPError.notFound("policy version") }
            let today = try await RecordsSettings.timeZone(in: tx).today()
            let inserted = try await tx.execute("""
                INSERT INTO policy_acknowledgements (policy_version_id, person_id, sha256, acknowledged_on, client_address, user_id)
                VALUES (\(version.id), \(person), \(version.sha256), \(today), \(address), \(caller.user))
                ON CONFLICT (policy_version_id, person_id) DO NOTHING
                """) == 1
            guard let body = try JSONRows.one(try await tx.query("""
                SELECT \(PolicyStore.acknowledgementJSON)::text AS json FROM policy_acknowledgements a
                JOIN policy_versions v ON v.id = a.policy_version_id WHERE a.policy_version_id = \(version.id) AND a.person_id = \(person)
                """)) else { throw HTTPError.internalError }
            if inserted {
                try await RecordsAudit(request, caller: caller).record(
                    "policy.acknowledged", target: .records("policy", id), before: nil,
                    after: ["version": .number(Double(number)), "person_id": .string(person.description),
                            "sha256": .string(Hex.encode(version.sha256)), "client_address": address.map(JSONValue.string) ?? .null], in: tx)
            }
            return JSONRows.response(body, status: inserted ? .created : .ok)
        }
    }

    /// Whom the caller may list: everyone, or the people of the units they supervise.
    private static func people(_ caller: RecordsCaller) throws(HTTPError) -> SQL {
        switch try RecordsAccess.listScope(caller) {
        case .everyone: "true"
        case .units(let units): "p.unit_id = ANY (\(units.map(\.uuid)))"
        }
    }

    private func acknowledgements(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PolicyID = try request.context.parameters.id("id", what: "policy")
        let number = try request.query["version"].map { text throws(HTTPError) in
            guard let number = Int(text), number >= 1 else { throw HTTPError.badRequest("version must be a version number.", code: "invalid_query") }
            return number
        }
        let page = try RecordsPage(request)
        return try await services.withCaller(request) { caller, tx in
            let visible = try Self.people(caller)
            guard try await PolicyStore.exists(id, in: tx) else { throw HTTPError.notFound("policy") }
            let rows = try await tx.query("""
                SELECT (\(PolicyStore.acknowledgementJSON) || jsonb_build_object('badge_number', p.badge_number,
                        'name', p.first_name || ' ' || p.last_name))::text AS json,
                       \(JSONRows.time("a.acknowledged_at")) AS key, a.person_id AS id
                FROM policy_acknowledgements a JOIN policy_versions v ON v.id = a.policy_version_id JOIN personnel p ON p.id = a.person_id
                WHERE v.policy_id = \(id) AND (\(number)::int IS NULL OR v.version = \(number)) AND \(visible)
                  AND (\(page.after?.key)::text IS NULL OR (\(JSONRows.time("a.acknowledged_at")), a.person_id) > (\(page.after?.key), \(page.after?.id)))
                ORDER BY key, a.person_id LIMIT \(page.limit)
                """)
            return try JSONRows.list(rows, nextCursor: try Self.cursor(rows, page))
        }
    }

    private func outstanding(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PolicyID = try request.context.parameters.id("id", what: "policy")
        let page = try RecordsPage(request)
        return try await services.withCaller(request) { caller, tx in
            let visible = try Self.people(caller)
            guard try await PolicyStore.exists(id, in: tx) else { throw HTTPError.notFound("policy") }
            let today = try await RecordsSettings.timeZone(in: tx).today()
            // Sorted by due date (none last), then person: the cursor's key is the date's text.
            let key: SQL = "coalesce(due.due_on::text, '9999-12-31')"
            let rows = try await tx.query("""
                WITH cv AS (\(PolicyStore.currentVersions(on: today)))
                SELECT jsonb_build_object('person_id', p.id, 'badge_number', p.badge_number, 'name', p.first_name || ' ' || p.last_name,
                           'unit_id', p.unit_id, 'version', cv.version, 'sha256', encode(cv.sha256, 'hex'),
                           'due_on', due.due_on, 'status', \(PolicyStore.status(on: today)))::text AS json,
                       \(key) AS key, p.id
                FROM cv JOIN personnel p ON p.status <> 'separated' AND p.hire_date <= \(today)
                LEFT JOIN policy_acknowledgements a ON a.policy_version_id = cv.id AND a.person_id = p.id
                \(PolicyStore.due(on: today))
                WHERE cv.policy_id = \(id) AND a.person_id IS NULL AND \(visible)
                  AND (\(page.after?.key)::text IS NULL OR (\(key), p.id) > (\(page.after?.key), \(page.after?.id)))
                ORDER BY key, p.id LIMIT \(page.limit)
                """)
            return try JSONRows.list(rows, nextCursor: try Self.cursor(rows, page))
        }
    }

    private func mine(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            // A login linked to no person owes nothing: no row matches a null id.
            let person = caller.ownPerson
            let today = try await RecordsSettings.timeZone(in: tx).today()
            return try JSONRows.list(try await tx.query("""
                WITH cv AS (\(PolicyStore.currentVersions(on: today)))
                SELECT jsonb_build_object('policy_id', pol.id, 'code', pol.code, 'title', pol.title, 'version', cv.version,
                           'sha256', encode(cv.sha256, 'hex'), 'published_on', cv.published_on, 'content_type', cv.content_type,
                           'due_on', due.due_on, 'acknowledged_at', \(JSONRows.time("a.acknowledged_at")),
                           'status', \(PolicyStore.status(on: today)))::text AS json
                FROM cv JOIN policies pol ON pol.id = cv.policy_id JOIN personnel p ON p.id = \(person)
                LEFT JOIN policy_acknowledgements a ON a.policy_version_id = cv.id AND a.person_id = p.id
                \(PolicyStore.due(on: today))
                ORDER BY a.person_id IS NOT NULL, due.due_on NULLS LAST, pol.code
                """))
        }
    }

    private static func cursor(_ rows: Rows, _ page: RecordsPage) throws -> String? {
        guard let last = rows.last else { return nil }
        return page.nextCursor(count: rows.count, key: try last.decode("key", as: String.self), id: try last.decode("id", as: UUID.self))
    }
}
