import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP

/// Who may use Notify's public routes: an agency's admins. The agency is always
/// the one in the caller's token.
enum AdminAccess {
    /// The calling agency admin; `403` for other roles and for narrow tokens (e.g. MFA
    /// enrolment only), and for changes made under a support grant (read-only access).
    static func admin(_ request: HTTPRequest, changing: Bool = false) throws(HTTPError) -> UserPrincipal {
        let user = try request.context.requireUser(anyOf: [.agencyAdmin])
        if user.scope != nil { throw HTTPError.forbidden("This token may not be used here.") }
        if changing, user.supportGrantID != nil { throw HTTPError.forbidden("Support access is read-only.") }
        return user
    }

    /// An audit event of a change an admin made to the agency's email settings.
    static func event(_ request: HTTPRequest, by user: UserPrincipal, action: String, target: AuditTarget,
                      changes: [String: AuditChange]) -> AuditEvent {
        var actor = AuditActor.user(user.userID, roles: user.roles.sorted())
        actor.supportGrantId = user.supportGrantID
        return AuditEvent(agencyId: user.agencyID, actor: actor, action: action, target: target, outcome: .success,
                          source: AuditSource(ip: request.context.clientAddress, userAgent: request.headers["User-Agent"],
                                              requestId: request.id),
                          changes: changes)
    }
}
