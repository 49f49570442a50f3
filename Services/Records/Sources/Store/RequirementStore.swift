import Foundation
import MusterCore
import MusterDatabase
import MusterTime

/// SQL over `requirements` and `requirement_versions`, inside the caller's agency transaction.
/// A requirement's JSON is its latest version's fields beside the requirement's own;
/// `versions` lists every version (on `GET /requirements/{id}`).
enum RequirementStore {
    /// One version's fields (`v`).
    static let versionJSON: SQL = """
        jsonb_build_object('version', v.version, 'name', v.name, 'params', v.params,
            'applies_to', jsonb_build_object('ranks', to_jsonb(v.applies_ranks), 'unit_ids', to_jsonb(v.applies_unit_ids)),
            'effective_from', v.effective_from, 'effective_to', v.effective_to, 'due_soon_days', v.due_soon_days,
            'mandatory', v.mandatory, 'created_by', v.created_by, 'created_at', \(JSONRows.time("v.created_at")))
        """

    /// The requirement `r` with its latest version `v` (and every version when `versions`).
    static func json(versions: Bool) -> SQL {
        let all: SQL = versions ? """
            || jsonb_build_object('versions', (SELECT jsonb_agg(\(versionJSON) ORDER BY v.version)
                                               FROM requirement_versions v WHERE v.requirement_id = r.id))
            """ : ""
        return """
            (jsonb_build_object('id', r.id, 'code', r.code, 'kind', r.kind, 'pack', r.pack,
                'created_at', \(JSONRows.time("r.created_at")), 'updated_at', \(JSONRows.time("r.updated_at"))) || \(versionJSON) \(all))::text AS json
            """
    }

    static let latest: SQL = """
        FROM requirements r JOIN LATERAL (SELECT * FROM requirement_versions WHERE requirement_id = r.id ORDER BY version DESC LIMIT 1) v ON true
        """

    static func find(_ id: RequirementID, versions: Bool = false, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(json(versions: versions)) \(latest) WHERE r.id = \(id)"))
    }

    /// The latest version's number and dates, locking the requirement for a change.
    struct Latest: Sendable {
        let kind: RequirementKind
        let code: String
        let version: Int
        let effectiveFrom: CalendarDate
        let effectiveTo: CalendarDate?
    }

    static func latestForUpdate(_ id: RequirementID, in tx: Transaction) async throws -> Latest? {
        guard try await !tx.query("SELECT 1 FROM requirements WHERE id = \(id) FOR UPDATE").isEmpty,
              let row = try await tx.query("""
                  SELECT r.kind, r.code, v.version, v.effective_from, v.effective_to \(latest) WHERE r.id = \(id)
                  """).first else { return nil }
        return Latest(kind: try row.decode(column: 0), code: try row.decode(column: 1), version: try row.decode(column: 2),
                      effectiveFrom: try row.decode(column: 3), effectiveTo: try row.decode(column: 4))
    }

    /// Inserts version `number` of `id`.
    static func insertVersion(_ id: RequirementID, number: Int, name: String, params: JSONValue, ranks: [String]?, units: [UnitID]?,
                              from: CalendarDate, to: CalendarDate?, dueSoonDays: Int, mandatory: Bool, by user: UserID,
                              in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO requirement_versions (requirement_id, version, name, params, applies_ranks, applies_unit_ids, effective_from,
                                              effective_to, due_soon_days, mandatory, created_by)
            VALUES (\(id), \(number), \(name), \(try JSONB(params)), \(ranks), \(units.map { $0.map(\.uuid) }), \(from), \(to),
                    \(dueSoonDays), \(mandatory), \(user))
            """)
    }
}
