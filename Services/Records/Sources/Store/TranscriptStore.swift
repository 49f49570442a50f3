import Foundation
import MusterCore
import MusterDatabase
import MusterTime

/// Reads the parts of a person's transcript (``Transcript``) in one round trip of the
/// request's transaction: the person, the counting records dated in the range, the
/// certifications not voided, the policy acknowledgements, and every waiver (revoked
/// ones with when). The compliance report comes from ``ComplianceStore`` and the engine.
enum TranscriptStore {
    struct Parts: Sendable {
        let person: Transcript.Person
        let records: [Transcript.Record]
        let certifications: [Transcript.Certification]
        let acknowledgements: [Transcript.Acknowledgement]
        let waivers: [Transcript.Waiver]
    }

    /// Nil when the agency has no such person.
    static func load(_ id: PersonID, from: CalendarDate?, to: CalendarDate?, in tx: Transaction) async throws -> Parts? {
        let rows = try await tx.pipeline([
            """
            SELECT p.id, p.badge_number, p.first_name, p.last_name, p.rank, u.name AS unit, p.hire_date, p.status, p.separated_on,
                   p.license_number
            FROM personnel p LEFT JOIN units u ON u.id = p.unit_id WHERE p.id = \(id)
            """,
            """
            SELECT r.id, r.completed_on, r.title, c.code AS course_code, r.outcome, r.quarter_hours,
                   ARRAY(SELECT key FROM jsonb_each_text(r.category_hours) ORDER BY key) AS category_codes,
                   ARRAY(SELECT value::int FROM jsonb_each_text(r.category_hours) ORDER BY key) AS category_quarters
            FROM training_records r LEFT JOIN courses c ON c.id = r.course_id
            WHERE r.person_id = \(id) AND r.status = 'approved' AND r.outcome IN ('completed', 'passed')\(SQL.dates("r.completed_on", from: from, to: to))
            ORDER BY r.completed_on, r.id
            """,
            """
            SELECT c.id, t.code AS type_code, t.name AS type_name, c.number, c.issued_on, c.expires_on
            FROM certifications c JOIN certification_types t ON t.id = c.type_id
            WHERE c.person_id = \(id) AND c.status <> 'voided' ORDER BY c.issued_on, c.id
            """,
            """
            SELECT pol.id AS policy_id, pol.code AS policy_code, pol.title AS policy_title, v.version, encode(a.sha256, 'hex') AS sha256,
                   \(JSONRows.time("a.acknowledged_at")) AS acknowledged_at, a.client_address
            FROM policy_acknowledgements a JOIN policy_versions v ON v.id = a.policy_version_id JOIN policies pol ON pol.id = v.policy_id
            WHERE a.person_id = \(id) ORDER BY a.acknowledged_at, pol.code
            """,
            """
            SELECT w.id, r.code AS requirement_code, w.period_ends_on, w.until, w.reason, \(JSONRows.time("w.created_at")) AS created_at,
                   CASE WHEN w.revoked_at IS NOT NULL THEN \(JSONRows.time("w.revoked_at")) END AS revoked_at
            FROM waivers w JOIN requirements r ON r.id = w.requirement_id WHERE w.person_id = \(id) ORDER BY w.created_at, w.id
            """,
        ])
        guard let person = try rows[0].decode(Transcript.Person.self).first else { return nil }
        let records = try rows[1].map { row in
            let codes = try row.decode("category_codes", as: [String].self)
            let quarters = try row.decode("category_quarters", as: [Int].self)
            return Transcript.Record(
                id: try row.decode("id", as: TrainingRecordID.self), completedOn: try row.decode("completed_on", as: CalendarDate.self),
                title: try row.decode("title", as: String.self), courseCode: try row.decode("course_code", as: String?.self),
                outcome: try row.decode("outcome", as: String.self), hours: QuarterHours(quarters: try row.decode("quarter_hours", as: Int64.self)),
                categoryHours: zip(codes, quarters).map { Transcript.CategoryHours(code: $0, hours: QuarterHours(quarters: Int64($1))) })
        }
        return Parts(person: person, records: records, certifications: try rows[2].decode(Transcript.Certification.self),
                     acknowledgements: try rows[3].decode(Transcript.Acknowledgement.self), waivers: try rows[4].decode(Transcript.Waiver.self))
    }
}
