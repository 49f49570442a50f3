import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTime

/// The certifications people hold, as due items: per person and certification type,
/// the latest `expires_on` among active certifications issued by `as_of` (a renewal
/// moves it; one that never expires means nothing is due), for people not separated.
enum DueItemStore {
    /// Where a page ended: the person and the certification type.
    struct Cursor: Sendable {
        var person: PersonID
        var type: CertificationTypeID
    }

    /// One held certification with what the route needs to answer.
    struct Row: Decodable, Sendable {
        var personID: PersonID
        var firstName: String
        var lastName: String
        var email: String?
        var userID: UserID?
        var unitID: UnitID?
        var unitName: String?
        var supervisors: [String]
        var typeID: CertificationTypeID
        var typeName: String
        var expiresOn: CalendarDate
    }

    static func heldCertifications(from: CalendarDate, to: CalendarDate, asOf: CalendarDate, after: Cursor?, limit: Int,
                                   in tx: Transaction) async throws -> [Row] {
        try await tx.query("""
            WITH held AS (
                SELECT c.person_id, c.type_id, max(c.expires_on) AS expires_on, bool_or(c.expires_on IS NULL) AS forever
                FROM certifications c
                WHERE c.status = 'active' AND c.issued_on <= \(asOf)
                GROUP BY c.person_id, c.type_id
            )
            SELECT h.person_id, p.first_name, p.last_name, p.email, p.user_id, p.unit_id, u.name AS unit_name,
                   coalesce((SELECT array_agg(s.user_id::text ORDER BY s.user_id) FROM unit_supervisors s WHERE s.unit_id = p.unit_id),
                            '{}') AS supervisors,
                   h.type_id, t.name AS type_name, h.expires_on
            FROM held h
            JOIN personnel p ON p.id = h.person_id
            JOIN certification_types t ON t.id = h.type_id
            LEFT JOIN units u ON u.id = p.unit_id
            WHERE NOT h.forever AND h.expires_on BETWEEN \(from) AND \(to) AND p.status <> 'separated'
              AND (\(after?.person)::uuid IS NULL OR (h.person_id, h.type_id) > (\(after?.person), \(after?.type)))
            ORDER BY h.person_id, h.type_id
            LIMIT \(limit)
            """).decode(Row.self)
    }
}
