import Foundation
import MusterAuth
import MusterCore
import MusterHTTP
import MusterService

/// The Identity service: agencies, users, roles, passwords, MFA, sessions and tokens.
public struct IdentityApp: ServiceDefinition {
    public static let name = ServiceName.identity

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    /// Identity creates its own agency schemas when it registers an agency.
    public var answersProvisioning: Bool { false }

    /// Identity reads revoked sessions and suspended agencies from its own database on each request.
    public var pollsRevocations: Bool { false }

    public func registerRoutes(on router: Router, runtime services: IdentityRuntime) async throws {
        try await services.keys.ensureOne()
        let errors = IdentityErrorMiddleware()
        let auth = UserAuthMiddleware(verifier: services.verifier)
        let live = LiveSessionMiddleware(db: services.db, allowsEnrollmentScope: false)
        let limitedLive = LiveSessionMiddleware(db: services.db, allowsEnrollmentScope: true)
        KeyRoutes(services: services).register(on: router)
        RevocationRoutes(services: services).register(on: router)
        AgencyAdminsRoute(services: services).register(on: router)
        AgencyUserRoute(services: services).register(on: router)
        router.group("/api/v1", middleware: [errors]) { api in
            api.group("", middleware: [auth, limitedLive]) { limited in
                api.group("", middleware: [auth, live]) { authenticated in
                    AuthRoutes(services: services).register(public: api, authenticated: limited)
                    CredentialRoutes(services: services).register(public: api)
                    MeRoutes(services: services).register(limited: limited, authenticated: authenticated)
                    MFARoutes(services: services).register(limited: limited)
                    UserRoutes(services: services).register(on: authenticated)
                    AdminMFAResetRoute(services: services).register(on: authenticated)
                    UserImportRoutes(services: services).register(on: authenticated)
                    AgencyRoutes(services: services).register(on: authenticated)
                    PlatformRoutes(services: services).register(on: authenticated)
                    SupportSessionRoutes(services: services).register(on: authenticated)
                }
            }
        }
    }

    public func backgroundTasks(runtime services: IdentityRuntime) -> [BackgroundTask] {
        let reconciler = ProvisioningReconciler(provisioner: services.provisioner, pool: services.db,
                                                interval: services.configuration.provisioningRetry, logger: services.context.logger)
        return services.context.outboxRelays() + [BackgroundTask(name: "provisioning-reconciler") { await reconciler.run() }]
    }

    public var commands: [ServiceCommand<IdentityRuntime>] { IdentityCommands.all }
}
