import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `POST /api/v1/platform/agencies/{id}/support-session`: while the agency has a
/// live support grant, an operator gets a read-only token for it: `tid` the agency,
/// `roles` `["platform_operator"]`, `sgid` the grant, expiring no later than the
/// grant. Revoking the grant revokes these sessions (and the feed tells every service).
struct SupportSessionRoutes {
    let services: IdentityRuntime

    struct AccessToken: Encodable {
        let accessToken: String
        let tokenType = "Bearer"
        let expiresIn: Int
        let supportGrantID: SupportGrantID
    }

    func register(on api: RouteGroup) {
        api.post("/platform/agencies/{id}/support-session", bodyLimit: 1 << 10) { request in
            let caller = try services.requireOperator(request)
            let id: AgencyID = try request.context.parameters.id("id", what: "agency")
            guard let agency = try await services.registry.find(id: id), !agency.isPlatform, agency.acceptsSignIn else {
                throw HTTPError.notFound("agency")
            }
            let session = SessionID()
            let (grant, expires) = try await services.db.withAgency(agency.id) { tx -> (SupportGrantID, Int) in
                let live = try await tx.query("""
                    SELECT id, floor(extract(epoch FROM expires_at))::bigint AS expires FROM support_grants
                    WHERE revoked_at IS NULL AND expires_at > now() ORDER BY expires_at DESC LIMIT 1
                    """)
                guard let row = live.first else {
                    throw HTTPError(.forbidden, code: "no_support_grant", message: "The agency has not granted support access.")
                }
                let grant = try row.decode("id", as: SupportGrantID.self)
                let grantExpires = try row.decode("expires", as: Int.self)
                let expires = min(grantExpires, Timestamp.nowSeconds + TokenIssuer.accessLifetime)
                try await tx.execute("""
                    INSERT INTO support_sessions (id, grant_id, operator_id, expires_at)
                    VALUES (\(session), \(grant), \(caller.userID), to_timestamp(\(Double(expires))))
                    """)
                try await tx.execute("""
                    INSERT INTO support_grant_uses (id, grant_id, operator_id, action) VALUES (\(UUID()), \(grant), \(caller.userID), 'session.started')
                    """)
                var actor = AuditActor.principal(caller)
                actor.supportGrantID = grant.description
                try await AuditTrail(request, agency: agency.id).record(
                    "support.grant.used", actor: actor, target: .session(session), reason: "session.started", in: tx)
                return (grant, expires)
            }
            let token = try await services.issuer.accessToken(user: caller.userID, agency: agency, session: session,
                                                              roles: [.platformOperator], amr: caller.methods,
                                                              authTime: caller.authenticatedAt ?? Timestamp.nowSeconds,
                                                              supportGrant: grant.description, notAfter: expires)
            return try HTTPResponse.json(AccessToken(accessToken: token.token, expiresIn: token.expiresIn, supportGrantID: grant),
                                                 status: .created).noStore()
        }
    }
}
