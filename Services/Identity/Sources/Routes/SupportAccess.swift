import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// Reads of an agency's users by its admins, or by a platform operator whose
/// token carries a live support grant of that agency (`sgid`). Every support read
/// is recorded (listed to the agency's admins) and audited in the same transaction.
enum SupportAccess {
    static func reader(_ request: HTTPRequest) throws -> UserPrincipal {
        let user = try request.context.requireUser(anyOf: [.agencyAdmin, .platformOperator])
        if user.has(.platformOperator), user.supportGrantID == nil { throw HTTPError.forbidden("Operators need the agency's support grant.") }
        return user
    }

    static func recordRead(_ caller: UserPrincipal, action: String, target: UserID?, request: HTTPRequest,
                           services: IdentityRuntime, in tx: Transaction) async throws {
        guard let grant = caller.supportGrantID.flatMap(SupportGrantID.init(string:)) else { return }
        try await tx.execute("""
            INSERT INTO support_grant_uses (id, grant_id, operator_id, action, target)
            VALUES (\(UUID()), \(grant), \(caller.userID), \(action), \(target?.description))
            """)
        try await AuditTrail(request, agency: caller.agencyID).record(
            "support.grant.used", actor: .principal(caller), target: target.map { .user($0) } ?? AuditTarget(type: "users", id: "*"),
            reason: action, in: tx)
    }
}

enum SupportGrantTag: Sendable {}
typealias SupportGrantID = Identifier<SupportGrantTag>
