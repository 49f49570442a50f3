import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// SQL over `personnel`, inside the caller's agency transaction.
enum PersonnelStore {
    static let json: SQL = """
        jsonb_build_object('id', p.id, 'badge_number', p.badge_number, 'first_name', p.first_name, 'last_name', p.last_name,
            'email', p.email, 'rank', p.rank, 'unit_id', p.unit_id, 'hire_date', p.hire_date, 'status', p.status,
            'separated_on', p.separated_on, 'user_id', p.user_id, 'license_number', p.license_number,
            'license_issued_on', p.license_issued_on, 'version', p.version,
            'created_at', \(JSONRows.time("p.created_at")), 'updated_at', \(JSONRows.time("p.updated_at")))::text AS json
        """

    /// A person's unit and login, for access checks.
    struct Subject: Sendable {
        let id: PersonID
        let unit: UnitID?
        let user: UserID?
        let email: String?
        let name: String
    }

    static func subject(_ id: PersonID, in tx: Transaction) async throws -> Subject? {
        guard let row = try await tx.query("""
            SELECT unit_id, user_id, email, first_name || ' ' || last_name AS name FROM personnel WHERE id = \(id)
            """).first else { return nil }
        return Subject(id: id, unit: try row.decode("unit_id", as: UUID?.self).map(UnitID.init),
                       user: try row.decode("user_id", as: UUID?.self).map(UserID.init),
                       email: try row.decode("email", as: String?.self), name: try row.decode("name", as: String.self))
    }

    static func find(_ id: PersonID, in tx: Transaction, forUpdate: Bool = false) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(json) FROM personnel p WHERE p.id = \(id)" + (forUpdate ? " FOR UPDATE" : "")))
    }

    /// The person, readable by the caller (`404` unknown, `403` not theirs to read); reading
    /// someone else's file is audited as `action`.
    static func readable(_ id: PersonID, caller: RecordsCaller, action: String, request: HTTPRequest,
                         in tx: Transaction) async throws -> Subject {
        guard let subject = try await subject(id, in: tx) else { throw HTTPError.notFound("person") }
        if try RecordsAccess.readPerson(caller, person: id, unit: subject.unit) != .own {
            try await RecordsAudit(request, caller: caller).record(action, target: .records("person", id), in: tx)
        }
        return subject
    }
}
