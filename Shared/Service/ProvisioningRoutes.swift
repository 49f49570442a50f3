import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// `PUT /internal/agencies/{id}`: creates the agency's schema from the current DDL,
/// or confirms it exists. Only Identity may call it (service credential).
public enum ProvisioningRoutes {
    public static func register(on router: Router, context: ServiceContext, migrator: Migrator,
                                provisioned: @escaping @Sendable (AgencyID, ProvisionAgencyRequest) async throws -> Void) {
        let auth = ServiceAuthMiddleware(verifier: context.credentials.verifier, allowedCallers: [.identity])
        router.put("/internal/agencies/{id}", bodyLimit: 16 << 10, middleware: [auth]) { request in
            let agency: AgencyID = try request.context.parameters.id("id", what: "agency")
            let body = try request.decode(ProvisionAgencyRequest.self)
            try await migrator.provisionAgency(agency)
            try await provisioned(agency, body)
            let version = migrator.migrations.agencyVersion
            request.context.logger.info("agency schema provisioned", ["agency": agency.description, "version": String(version)])
            return try .json(ProvisionAgencyResponse(agencyID: agency, schemaVersion: version))
        }
    }
}
