import Foundation
import MusterAuth
import MusterCore
import MusterDatabase
import MusterHTTP

/// Loads who the caller is to Records, in the request's agency transaction: the
/// person linked to their login and, for supervisors, the units they supervise with
/// every unit below (one recursive query).
enum CallerStore {
    static func caller(_ user: UserPrincipal, in tx: Transaction) async throws -> RecordsCaller {
        let supervises = user.roles.contains(.supervisor)
        let row = try await tx.query("""
            SELECT (SELECT id FROM personnel WHERE user_id = \(user.userID)) AS own_person,
                   CASE WHEN \(supervises) THEN ARRAY(
                       WITH RECURSIVE below AS (
                           SELECT unit_id AS id FROM unit_supervisors WHERE user_id = \(user.userID)
                           UNION SELECT u.id FROM units u JOIN below ON u.parent_id = below.id)
                       SELECT id FROM below) ELSE '{}'::uuid[] END AS units
            """)[0]
        let own = try row.decode("own_person", as: UUID?.self).map(PersonID.init)
        let units = try row.decode("units", as: [UUID].self).map(UnitID.init)
        return RecordsCaller(user: user.userID, roles: user.roles, supportGrant: user.supportGrantID != nil,
                             ownPerson: own, supervisedUnits: Set(units))
    }
}

extension RecordsRuntime {
    /// Runs `body` in one transaction of the caller's agency (from the verified token)
    /// with the caller resolved.
    func withCaller<T: Sendable>(_ request: HTTPRequest,
                                 _ body: (RecordsCaller, Transaction) async throws -> T) async throws -> T {
        let user = try request.context.requireUser()
        guard user.scope == nil else { throw HTTPError.forbidden("This token's scope does not allow this.") }
        return try await db.withAgency(user.agencyID) { tx in
            try await body(try await CallerStore.caller(user, in: tx), tx)
        }
    }
}
