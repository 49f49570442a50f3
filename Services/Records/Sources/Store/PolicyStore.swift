import Foundation
import MusterCore
import MusterDatabase
import MusterTime

/// Policies, their sealed versions and the acknowledgements (`policies`,
/// `policy_versions`, `policy_acknowledgements` of 0003_compliance.sql), and what each
/// person still owes: the current version V of a policy is the one with the latest
/// `published_on` on or before today (ties: the higher version); a person owes V by
/// `max(V.published_on, hire_date) + within_days` of the earliest `policy` requirement
/// in force today that applies to them (docs/compliance.md), or by no date when none does.
enum PolicyStore {
    static let policyJSON: SQL = """
        jsonb_build_object('id', p.id, 'code', p.code, 'title', p.title, 'created_at', \(JSONRows.time("p.created_at")),
            'versions', (SELECT coalesce(jsonb_agg(\(versionJSON) ORDER BY v.version), '[]'::jsonb)
                         FROM policy_versions v WHERE v.policy_id = p.id))::text AS json
        """

    static let versionJSON: SQL = """
        jsonb_build_object('version', v.version, 'sha256', encode(v.sha256, 'hex'), 'published_on', v.published_on,
                           'content_type', v.content_type, 'size', v.size, 'created_at', \(JSONRows.time("v.created_at")))
        """

    static let acknowledgementJSON: SQL = """
        jsonb_build_object('policy_id', v.policy_id, 'version', v.version, 'person_id', a.person_id,
                           'sha256', encode(a.sha256, 'hex'), 'acknowledged_at', \(JSONRows.time("a.acknowledged_at")),
                           'acknowledged_on', a.acknowledged_on, 'client_address', a.client_address)
        """

    /// Each policy's current version on `today` (`cv`).
    static func currentVersions(on today: CalendarDate) -> SQL {
        """
        SELECT DISTINCT ON (policy_id) id, policy_id, version, sha256, published_on, content_type FROM policy_versions
        WHERE published_on <= \(today) ORDER BY policy_id, published_on DESC, version DESC
        """
    }

    /// `due_on` and `due_soon_days` (`due`) of person `p` for current version `cv`: the earliest
    /// policy requirement in force on `today` that applies to them; no row when none does.
    static func due(on today: CalendarDate) -> SQL {
        """
        LEFT JOIN LATERAL (
            SELECT greatest(cv.published_on, p.hire_date) + (rv.params->>'within_days')::int AS due_on, rv.due_soon_days
            FROM requirement_versions rv JOIN requirements r ON r.id = rv.requirement_id
            WHERE r.kind = 'policy' AND rv.params->>'policy_id' = cv.policy_id::text
              AND p.status <> 'separated' AND p.hire_date <= \(today)
              AND rv.effective_from <= \(today) AND (rv.effective_to IS NULL OR rv.effective_to >= \(today))
              AND (rv.applies_ranks IS NULL OR p.rank = ANY (rv.applies_ranks))
              AND (rv.applies_unit_ids IS NULL OR p.unit_id IN (
                  WITH RECURSIVE below AS (SELECT unnest(rv.applies_unit_ids) AS id
                                           UNION SELECT u.id FROM units u JOIN below b ON u.parent_id = b.id)
                  SELECT id FROM below))
            ORDER BY 1 LIMIT 1) due ON true
        """
    }

    /// The spec's status of an owed acknowledgement, from `a` (the acknowledgement of V, if any) and `due`.
    static func status(on today: CalendarDate) -> SQL {
        """
        CASE WHEN a.person_id IS NOT NULL THEN 'met' WHEN due.due_on IS NULL THEN 'not_applicable'
             WHEN \(today) > due.due_on THEN 'overdue' WHEN due.due_on - \(today) <= due.due_soon_days THEN 'due_soon'
             ELSE 'in_progress' END
        """
    }

    struct Version: Sendable {
        let id: UUID
        let sha256: [UInt8]
        let contentType: String
        let sealed: [UInt8]?
    }

    /// Version `number` of `policy` (with its sealed bytes when `sealed`); nil when there is none.
    static func version(_ number: Int, of policy: PolicyID, sealed: Bool = false, in tx: Transaction) async throws -> Version? {
        guard let row = try await tx.query("""
            SELECT id, sha256, content_type, CASE WHEN \(sealed) THEN sealed END AS sealed FROM policy_versions
            WHERE policy_id = \(policy) AND version = \(number)
            """).first else { return nil }
        return Version(id: try row.decode("id", as: UUID.self), sha256: try row.decode("sha256", as: [UInt8].self),
                       contentType: try row.decode("content_type", as: String.self), sealed: try row.decode("sealed", as: [UInt8]?.self))
    }

    static func exists(_ policy: PolicyID, lock: Bool = false, in tx: Transaction) async throws -> Bool {
        try await tx.query("SELECT 1 FROM policies WHERE id = \(policy) \(lock ? "FOR UPDATE" : "" as SQL)").count == 1
    }
}
