import MusterCore
import MusterDatabase
import MusterHTTP

/// After `UserAuthMiddleware`: Identity does not wait for a revocation feed, it
/// checks the database on every request — the agency accepts sign-ins, the session
/// (or the operator's support session and its grant) is live, the user active.
/// A token limited to MFA enrolment passes only where `allowsEnrollmentScope`.
///
/// The agency's registry row comes back with the check and is handed to the route
/// (`LiveAgency`, read by `IdentityRuntime.agency(of:)`), so that a route reads
/// `platform.agencies` no second time.
struct LiveSessionMiddleware: Middleware {
    static let enrollmentScope = "mfa_enrollment"

    let db: DatabasePool
    let allowsEnrollmentScope: Bool

    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        let user = try request.context.requireUser()
        let agency = try await db.withAgency(user.agencyID) { tx -> AgencyRecord? in
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
            let rows = try await tx.query("""
                SELECT \(AgencyRegistry.columns), \(session) AS live FROM \(SchemaName.platform).agencies
                WHERE id = \(user.agencyID) AND status IN ('active', 'provisioning')
                """)
            guard let row = rows.first, try row.decode("live", as: Bool.self) else { return nil }
            return try row.decode(as: AgencyRecord.self)
        }
        guard let agency else {
            var error = HTTPError.unauthorized("The access token is invalid or expired.", code: "invalid_token")
            error.headers["WWW-Authenticate"] = "Bearer error=\"invalid_token\""
            throw error
        }
        if user.scope == Self.enrollmentScope, !allowsEnrollmentScope {
            throw HTTPError(.forbidden, code: "mfa_enrollment_required", message: "Enrol an authenticator before doing anything else.")
        }
        var request = request
        request.context.extensions[LiveAgency.self] = agency
        return try await next(request)
    }
}

/// The caller's agency as `LiveSessionMiddleware` found it, live, for the route behind it.
enum LiveAgency: RequestContextKey {
    typealias Value = AgencyRecord
}
