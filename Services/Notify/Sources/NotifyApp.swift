import Foundation
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// The Notify service: email templates, delivery over SMTP with retries, the
/// delivery log and the renewal-reminder scheduler, run by `ServiceMain`.
public struct NotifyApp: ServiceDefinition {
    public static let name = ServiceName.notify

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public func registerRoutes(on router: Router, runtime: NotifyRuntime) async throws {
        let context = runtime.context
        InternalMessageRoutes.register(on: router, context: context, runtime: runtime)
        router.group("/api/v1/notify", middleware: [context.userAuth]) { api in
            TemplateRoutes.register(on: api, runtime: runtime)
            MessageRoutes.register(on: api, pool: context.db)
            SettingsRoutes.register(on: api, pool: context.db)
        }
        router.group("/api/v1", middleware: [context.userAuth]) { api in
            ReminderRoutes.register(on: api, pool: context.db)
        }
    }

    /// Remembers the agency's name and slug for its emails.
    public func agencyProvisioned(_ agency: AgencyID, _ request: ProvisionAgencyRequest, runtime: NotifyRuntime) async throws {
        try await runtime.pool.withAgency(agency) { tx in
            try await AgencyProfileStore.saveIdentity(name: request.name, slug: request.slug, in: tx)
        }
        try await runtime.sweeps.register(agency, slug: request.slug)
    }

    public var commands: [ServiceCommand<NotifyRuntime>] { NotifyCommands.all }

    public func backgroundTasks(runtime: NotifyRuntime) -> [BackgroundTask] {
        runtime.context.outboxRelays([.auditEvents]) + [
            BackgroundTask(name: "delivery") { await runtime.worker.run() },
            BackgroundTask(name: "reminders") { await runtime.reminderScheduler.run() },
        ]
    }
}
