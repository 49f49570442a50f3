import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// SQL over the catalog: categories, certification types, courses.
enum CatalogStore {
    static let categoryJSON: SQL = """
        jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name, 'created_at', \(JSONRows.time("c.created_at")))::text AS json
        """
    static let typeJSON: SQL = """
        jsonb_build_object('id', t.id, 'code', t.code, 'name', t.name, 'validity_months', t.validity_months,
                           'created_at', \(JSONRows.time("t.created_at")))::text AS json
        """
    static let courseJSON: SQL = """
        jsonb_build_object('id', c.id, 'code', c.code, 'title', c.title, 'hours', \(JSONRows.hours("c.quarter_hours")),
            'category_hours', \(JSONRows.categoryHours("c.category_hours")), 'provider', c.provider,
            'state_course_number', c.state_course_number, 'instructor_certification_type_id', c.instructor_certification_type_id,
            'version', c.version, 'created_at', \(JSONRows.time("c.created_at")), 'updated_at', \(JSONRows.time("c.updated_at")))::text AS json
        """

    /// Every category code of the agency.
    static func categoryCodes(in tx: Transaction) async throws -> Set<String> {
        Set(try await tx.query("SELECT code FROM categories").map { try $0.decode("code", as: String.self) })
    }

    /// What a training record takes from its course.
    struct Course: Sendable {
        let id: CourseID
        let title: String
        let quarters: Int
        let categoryQuarters: [String: Int]
        let instructorType: CertificationTypeID?
    }

    static func course(_ id: CourseID, in tx: Transaction) async throws -> Course? {
        guard let row = try await tx.query("""
            SELECT title, quarter_hours, category_hours, instructor_certification_type_id FROM courses WHERE id = \(id)
            """).first else { return nil }
        return Course(id: id, title: try row.decode("title", as: String.self), quarters: try row.decode("quarter_hours", as: Int.self),
                      categoryQuarters: try row.decode("category_hours", as: JSONB<[String: Int]>.self).value,
                      instructorType: try row.decode("instructor_certification_type_id", as: UUID?.self).map(CertificationTypeID.init))
    }

    static func findCourse(_ id: CourseID, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(courseJSON) FROM courses c WHERE c.id = \(id)"))
    }

    /// Whether `person` holds an unexpired, not voided certification of `type` on `day`.
    static func holds(_ person: PersonID, type: CertificationTypeID, on day: some SQLBindable, in tx: Transaction) async throws -> Bool {
        try await !tx.query("""
            SELECT 1 FROM certifications WHERE person_id = \(person) AND type_id = \(type) AND status = 'active'
              AND issued_on <= \(day) AND (expires_on IS NULL OR expires_on >= \(day))
            """).isEmpty
    }
}
