import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP

/// `GET /internal/agencies/{id}/admins` (Audit's credential): the agency's active
/// `agency_admin` users, for mail that must reach them (the weekly audit checkpoint).
/// Other services never read Identity's database; they ask here.
struct AgencyAdminsRoute {
    let services: IdentityRuntime

    func register(on router: Router) {
        let auth = ServiceAuthMiddleware(verifier: services.context.credentials.verifier, allowedCallers: [.audit])
        router.get("/internal/agencies/{id}/admins", middleware: [auth]) { request in
            let agency: AgencyID = try request.context.parameters.id("id", what: "agency")
            guard try await services.registry.find(id: agency) != nil else { throw HTTPError.notFound("agency") }
            let admins = try await services.db.withAgency(agency) { tx in try await UserStore.activeAdmins(in: tx) }
            return try .json(AgencyAdmins(agencyID: agency, admins: admins.map {
                EmailRecipient(userID: $0.id, address: $0.email, name: $0.name)
            }))
        }
    }
}
