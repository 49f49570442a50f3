import Foundation
import MusterCore
import MusterHTTP
import MusterService

/// The Records service: the roster, the catalog, training records, certifications,
/// training events and compliance (requirements, waivers, statuses) of each agency, run by `ServiceMain`.
///
/// Public routes (user token, through the Gateway) live under `/api/v1` (see
/// docs/architecture.md, "Records"); background: the outbox relays (audit events to
/// Audit, emails to Notify).
public struct RecordsApp: ServiceDefinition {
    public static let name = ServiceName.records

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public func registerRoutes(on router: Router, runtime: RecordsRuntime) async throws {
        router.group("/api/v1", middleware: [runtime.context.userAuth, InvalidRowsMiddleware()]) { api in
            UnitRoutes(services: runtime).register(on: api)
            PersonnelRoutes(services: runtime).register(on: api)
            CatalogRoutes(services: runtime).register(on: api)
            TrainingRecordRoutes(services: runtime).register(on: api)
            TrainingDecisionRoutes(services: runtime).register(on: api)
            CertificationRoutes(services: runtime).register(on: api)
            TrainingEventRoutes(services: runtime).register(on: api)
            SettingsRoutes(services: runtime).register(on: api)
            AttachmentRoutes(services: runtime, store: runtime.attachments).register(on: api)
            ExpenseRoutes(services: runtime).register(on: api)
            ImportRoutes(services: runtime).register(on: api)
            ExportRoutes(services: runtime).register(on: api)
            RequirementRoutes(services: runtime).register(on: api)
            RulePackRoutes(services: runtime, packs: runtime.rulePacks).register(on: api)
            WaiverRoutes(services: runtime).register(on: api)
            ComplianceRoutes(services: runtime).register(on: api)
            PolicyRoutes(services: runtime).register(on: api)
            PolicyAcknowledgementRoutes(services: runtime).register(on: api)
            TranscriptRoutes(services: runtime).register(on: api)
        }
        DueItemRoutes(services: runtime).register(on: router)
    }

    public func backgroundTasks(runtime: RecordsRuntime) -> [BackgroundTask] { runtime.context.outboxRelays() }
}
