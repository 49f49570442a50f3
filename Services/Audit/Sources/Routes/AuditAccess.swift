import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// Who may read which chain, decided from the verified token alone:
///
/// - `agency_admin` and `auditor`: their agency's chain;
/// - a platform operator's token carrying a support grant (`supportGrantID`, issued
///   by Identity for a live grant, `tid` = that agency): that agency's chain,
///   read-only, and every such read is audited as made under the grant;
/// - a platform operator otherwise: the platform chain only;
/// - anyone else, or a token narrowed by a scope (e.g. MFA enrolment): `403`.
///
/// ```swift
/// let reader = try AuditAccess.reader(request)        // reader.chain is the only chain it touches
/// let admin = try AuditAccess.manager(request)        // agency_admin, not under a grant
/// ```
struct AuditReader: Sendable {
    let user: UserPrincipal
    let chain: AuditChain

    /// The actor of the audit events this reader's requests cause.
    var actor: AuditActor { .principal(user) }
}

enum AuditAccess {
    static let readerRoles: Set<Role> = [.agencyAdmin, .auditor]

    static func reader(_ request: HTTPRequest) throws(HTTPError) -> AuditReader {
        let user = try request.context.requireUser()
        if user.supportGrantID != nil { return AuditReader(user: user, chain: .agency(user.agencyID)) }
        guard user.scope == nil else { throw HTTPError.forbidden("This token's scope does not allow reading the audit trail.") }
        if user.has(.platformOperator) { return AuditReader(user: user, chain: .platform) }
        guard !user.roles.isDisjoint(with: readerRoles) else {
            throw HTTPError.forbidden("Only agency admins and auditors read the audit trail.")
        }
        return AuditReader(user: user, chain: .agency(user.agencyID))
    }

    /// For changes (retention): an agency admin acting for themselves.
    static func manager(_ request: HTTPRequest) throws(HTTPError) -> AuditReader {
        let reader = try reader(request)
        guard reader.user.supportGrantID == nil, reader.user.has(.agencyAdmin), case .agency = reader.chain else {
            throw HTTPError.forbidden("Only the agency's admins change this.")
        }
        return reader
    }
}

extension AuditReader {
    /// The event that records this reader's request in the chain it touched.
    func event(_ action: String, target: AuditTarget, outcome: AuditOutcome = .success, request: HTTPRequest,
               changes: [String: AuditChange]? = nil, reason: String? = nil) -> AuditEvent {
        AuditTrail(request, agency: chain.agencyID)
            .event(action, actor: actor, target: target, outcome: outcome, changes: changes, reason: reason)
    }
}
