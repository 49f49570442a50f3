import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP

/// `GET /internal/agencies/{id}/users/{user_id}` (Records' credential): one user's
/// status and roles, for Records to check a unit supervisor or a person's login.
struct AgencyUserRoute {
    let services: IdentityRuntime

    func register(on router: Router) {
        let auth = ServiceAuthMiddleware(verifier: services.context.credentials.verifier, allowedCallers: [.records])
        router.get("/internal/agencies/{id}/users/{user_id}", middleware: [auth]) { request in
            let agency: AgencyID = try request.context.parameters.id("id", what: "agency")
            let id: UserID = try request.context.parameters.id("user_id", what: "user")
            guard try await services.registry.find(id: agency) != nil else { throw HTTPError.notFound("agency") }
            guard let user = try await services.db.withAgency(agency, { tx in try await UserStore.find(id, in: tx) }) else {
                throw HTTPError.notFound("user")
            }
            return try .json(AgencyUser(id: user.id, email: user.email, name: user.name, status: user.status.rawValue,
                                        roles: user.roleSet))
        }
    }
}
