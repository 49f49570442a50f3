import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterTime

/// SQL over `training_records` and their append-only versions.
enum TrainingRecordStore {
    static let json: SQL = """
        jsonb_build_object('id', r.id, 'person_id', r.person_id, 'course_id', r.course_id, 'event_id', r.event_id,
            'title', r.title, 'completed_on', r.completed_on, 'hours', \(JSONRows.hours("r.quarter_hours")),
            'category_hours', \(JSONRows.categoryHours("r.category_hours")), 'outcome', r.outcome, 'score', r.score::float8,
            'instructor_person_id', r.instructor_person_id, 'notes', r.notes, 'status', r.status, 'source', r.source,
            'version', r.version, 'created_by', r.created_by, 'created_at', \(JSONRows.time("r.created_at")),
            'updated_by', r.updated_by, 'updated_at', \(JSONRows.time("r.updated_at")), 'decided_by', r.decided_by,
            'decided_at', \(JSONRows.time("r.decided_at")), 'rejection_reason', r.rejection_reason)::text AS json
        """

    struct Head: Sendable {
        let person: PersonID
        let status: RecordStatus
        let version: Int
        let title: String
        let completedOn: CalendarDate
        let quarters: Int
    }

    static func head(_ id: TrainingRecordID, in tx: Transaction) async throws -> Head? {
        guard let row = try await tx.query("""
            SELECT person_id, status, version, title, completed_on, quarter_hours FROM training_records WHERE id = \(id) FOR UPDATE
            """).first else { return nil }
        return Head(person: PersonID(try row.decode("person_id", as: UUID.self)),
                    status: RecordStatus(rawValue: try row.decode("status", as: String.self)) ?? .voided,
                    version: try row.decode("version", as: Int.self), title: try row.decode("title", as: String.self),
                    completedOn: try row.decode("completed_on", as: CalendarDate.self), quarters: try row.decode("quarter_hours", as: Int.self))
    }

    static func find(_ id: TrainingRecordID, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(json) FROM training_records r WHERE r.id = \(id)"))
    }

    /// Appends the version the record now is, with what changed from `before`.
    static func appendVersion(_ id: TrainingRecordID, action: String, by user: UserID, before: [String: JSONValue]?,
                              after: [String: JSONValue], reason: String? = nil, in tx: Transaction) async throws {
        let changes = RecordsAudit.changes(before: before ?? [:], after: after)
        try await tx.execute("""
            INSERT INTO training_record_versions (record_id, version, action, changed_by, changes, snapshot, reason)
            SELECT id, version, \(action), \(user), \(try JSONB(changes)), \(try JSONB(after)), \(reason)
            FROM training_records WHERE id = \(id)
            """)
    }
}
