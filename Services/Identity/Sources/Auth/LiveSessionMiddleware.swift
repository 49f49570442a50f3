import MusterCore
import MusterDatabase
import MusterHTTP

/// After `UserAuthMiddleware`: Identity does not wait for a revocation feed, it
/// checks the database on every request — the agency accepts sign-ins, the session
/// (or the operator's support session and its grant) is live, the user active.
/// The check rides in the first round trip of the route's first transaction in the
/// caller's agency (``DatabasePool/checking(_:inAgency:otherwise:_:)``), so that a
/// read costs one transaction, not two; it still holds before anything the route
/// sends counts, and a failed check answers `401` whatever the route would have.
/// A token limited to MFA enrolment passes only where `allowsEnrollmentScope`.
struct LiveSessionMiddleware: Middleware {
    static let enrollmentScope = "mfa_enrollment"

    let db: DatabasePool
    let allowsEnrollmentScope: Bool

    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let session: SQL = user.supportGrantID == nil
            ? """
              EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
                      WHERE s.id = \(user.sessionID) AND u.id = \(user.userID) AND s.revoked_at IS NULL
                        AND s.expires_at > now() AND u.status = 'active')
              """
            : """
              EXISTS (SELECT 1 FROM support_sessions s JOIN support_grants g ON g.id = s.grant_id
                      WHERE s.id = \(user.sessionID) AND s.operator_id = \(user.userID) AND s.revoked_at IS NULL
                        AND s.expires_at > now() AND g.revoked_at IS NULL AND g.expires_at > now())
              """
        let live: SQL = """
            SELECT \(session) AND EXISTS (SELECT 1 FROM \(SchemaName.platform).agencies WHERE id = \(user.agencyID) AND status IN ('active', 'provisioning')) AS live
            """
        return try await db.checking(live, inAgency: user.agencyID, otherwise: Self.invalidToken) {
            if user.scope == Self.enrollmentScope, !allowsEnrollmentScope {
                throw HTTPError(.forbidden, code: "mfa_enrollment_required", message: "Enrol an authenticator before doing anything else.")
            }
            return try await next(request)
        }
    }

    private static let invalidToken: HTTPError = {
        var error = HTTPError.unauthorized("The access token is invalid or expired.", code: "invalid_token")
        error.headers["WWW-Authenticate"] = "Bearer error=\"invalid_token\""
        return error
    }()
}
