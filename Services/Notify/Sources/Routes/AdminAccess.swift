import MusterAuth
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
}
