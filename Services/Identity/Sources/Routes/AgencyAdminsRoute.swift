import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP

/// `GET /internal/agencies/{id}/admins[?role=coordinator]` (Audit's or Notify's credential):
/// the agency's active `agency_admin` users, or coordinators, for mail that must reach
/// them (the weekly audit checkpoint, the weekly reminder digest).
/// Other services never read Identity's database; they ask here.
struct AgencyAdminsRoute {
    let services: IdentityRuntime

    func register(on router: Router) {
        let auth = ServiceAuthMiddleware(verifier: services.context.credentials.verifier, allowedCallers: [.audit, .notify])
        router.get("/internal/agencies/{id}/admins", middleware: [auth]) { request in
            let agency: AgencyID = try request.context.parameters.id("id", what: "agency")
            guard try await services.registry.find(id: agency) != nil else { throw HTTPError.notFound("agency") }
            let role = try Self.role(request.query["role"])
            let admins = try await services.db.withAgency(agency) { tx in try await UserStore.activeUsers(with: role, in: tx) }
            return try .json(AgencyAdmins(agencyID: agency, admins: admins.map {
                EmailRecipient(userID: $0.id, address: $0.email, name: $0.name)
            }))
        }
    }

    /// The roles whose members other services may mail as a group.
    private static func role(_ text: String?) throws(HTTPError) -> Role {
        guard let text else { return .agencyAdmin }
        guard let role = Role(rawValue: text), role == .agencyAdmin || role == .coordinator else {
            throw .badRequest("role must be agency_admin or coordinator.", code: "invalid_role")
        }
        return role
    }
}
