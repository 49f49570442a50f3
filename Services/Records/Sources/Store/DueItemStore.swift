import MusterCore
import MusterDatabase

/// What due items say beside the engine's statuses: how to reach each person and their
/// unit's supervisors, and the names of certification types.
enum DueItemStore {
    /// One person's address, login and unit with the logins that supervise it.
    struct Contact: Decodable, Sendable {
        var personID: PersonID
        var email: String?
        var userID: UserID?
        var unitID: UnitID?
        var unitName: String?
        var supervisors: [String]
    }

    static func contacts(of people: [PersonID], in tx: Transaction) async throws -> [PersonID: Contact] {
        let rows = try await tx.query("""
            SELECT p.id AS person_id, p.email, p.user_id, p.unit_id, u.name AS unit_name,
                   coalesce((SELECT array_agg(s.user_id::text ORDER BY s.user_id) FROM unit_supervisors s WHERE s.unit_id = p.unit_id),
                            '{}') AS supervisors
            FROM personnel p LEFT JOIN units u ON u.id = p.unit_id
            WHERE p.id = ANY(\(people.map(\.uuid)))
            """).decode(Contact.self)
        return Dictionary(rows.map { ($0.personID, $0) }) { first, _ in first }
    }

    static func certificationTypeNames(in tx: Transaction) async throws -> [CertificationTypeID: String] {
        var names: [CertificationTypeID: String] = [:]
        for row in try await tx.query("SELECT id, name FROM certification_types") {
            names[try row.decode("id", as: CertificationTypeID.self)] = try row.decode("name", as: String.self)
        }
        return names
    }
}
