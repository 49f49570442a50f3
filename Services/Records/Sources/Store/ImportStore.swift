import Foundation
import MusterCore
import MusterCrypto
import MusterDatabase

/// The SQL of imports: what rows are checked against, and the bulk writes — one
/// statement per table over arrays (`unnest`), so 50,000 rows cost a handful of
/// round trips, all in the caller's transaction.
enum ImportStore {
    static func catalog(in tx: Transaction) async throws -> ImportCatalog {
        var catalog = ImportCatalog()
        for row in try await tx.query("SELECT badge_number, id FROM personnel") {
            catalog.people[try row.decode("badge_number", as: String.self)] = try row.decode("id", as: UUID.self)
        }
        for row in try await tx.query("SELECT id, code, title, quarter_hours, category_hours::text AS split FROM courses") {
            let split = try JSONCoding.decode([String: Int].self, from: Array(try row.decode("split", as: String.self).utf8))
            catalog.courses[try row.decode("code", as: String.self)] = .init(
                id: try row.decode("id", as: UUID.self), title: try row.decode("title", as: String.self),
                hours: QuarterHours(try row.decode("quarter_hours", as: Int.self)), categoryHours: split)
        }
        catalog.categories = Set(try await tx.query("SELECT code FROM categories").map { try $0.decode("code", as: String.self) })
        for row in try await tx.query("SELECT name, id FROM units") {
            let name = try row.decode("name", as: String.self)
            catalog.units[name] = catalog.units[name] == nil ? try row.decode("id", as: UUID.self) : .some(nil)
        }
        return catalog
    }

    /// Records the import itself (kind, rows, the file's SHA-256); its id links the rows.
    static func begin(_ kind: String, rows: Int, file: [UInt8], by user: UserID, in tx: Transaction) async throws -> UUID {
        let id = UUID()
        try await tx.execute("""
            INSERT INTO imports (id, kind, row_count, sha256, created_by) VALUES (\(id), \(kind), \(rows), \(SHA256.hash(file)), \(user))
            """)
        return id
    }

    static func write(_ rows: [TrainingImport.Row], import id: UUID, by user: UserID, in tx: Transaction) async throws {
        try await tx.execute("""
            WITH input AS (
                SELECT * FROM unnest(\(rows.map { _ in UUID() })::uuid[], \(rows.map(\.personID))::uuid[],
                                     \(rows.map { $0.courseID?.uuidString ?? "" })::text[], \(rows.map(\.title))::text[],
                                     \(rows.map(\.completedOn.description))::text[], \(rows.map(\.hours.value))::int[],
                                     \(rows.map { CategorySplit.json($0.categoryHours) })::text[], \(rows.map(\.outcome))::text[],
                                     \(rows.map { $0.score ?? "" })::text[])
                    AS t (id, person_id, course_id, title, completed_on, quarter_hours, category_hours, outcome, score)),
            inserted AS (
                INSERT INTO training_records (id, person_id, course_id, import_id, title, completed_on, quarter_hours, category_hours,
                                              outcome, score, status, source, created_by, updated_by)
                SELECT id, person_id, NULLIF(course_id, '')::uuid, \(id), title, completed_on::date, quarter_hours, category_hours::jsonb,
                       outcome, NULLIF(score, '')::numeric, 'approved', 'import', \(user), \(user)
                FROM input
                RETURNING *)
            INSERT INTO training_record_versions (record_id, version, action, changed_by, changes, snapshot)
            SELECT id, 1, 'imported', \(user), '{}'::jsonb, to_jsonb(inserted) FROM inserted
            """)
    }

    static func write(_ rows: [PersonnelImport.Row], by user: UserID, in tx: Transaction) async throws {
        func text(_ values: [String?]) -> [String] { values.map { $0 ?? "" } }
        try await tx.execute("""
            INSERT INTO personnel (id, badge_number, first_name, last_name, email, rank, unit_id, hire_date, status, separated_on,
                                   license_number, license_issued_on)
            SELECT id, badge, first, last, NULLIF(email, ''), NULLIF(rank, ''), NULLIF(unit, '')::uuid, hired::date, status,
                   NULLIF(separated, '')::date, NULLIF(license, ''), NULLIF(licensed, '')::date
            FROM unnest(\(rows.map(\.id))::uuid[], \(rows.map(\.badgeNumber))::text[], \(rows.map(\.firstName))::text[],
                        \(rows.map(\.lastName))::text[], \(text(rows.map(\.email)))::text[], \(text(rows.map(\.rank)))::text[],
                        \(text(rows.map { $0.unitID?.uuidString }))::text[], \(rows.map(\.hireDate.description))::text[],
                        \(rows.map(\.status))::text[], \(text(rows.map { $0.separatedOn?.description }))::text[],
                        \(text(rows.map(\.licenseNumber)))::text[], \(text(rows.map { $0.licenseIssuedOn?.description }))::text[])
                AS t (id, badge, first, last, email, rank, unit, hired, status, separated, license, licensed)
            """)
    }
}
