import Foundation
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// The Audit service: the per-agency, hash-chained, append-only audit trail
/// (Services/Audit/README.md), run by `ServiceMain`.
///
/// Routes: `POST /internal/events`, `GET /internal/audit-keys`,
/// `GET /internal/agencies/{id}/checkpoints/latest`; public (user token,
/// through the Gateway) `GET /api/v1/audit/keys` (no token), `…/events`,
/// `…/events/export`, `…/verify` (GET, POST), `…/checkpoints` (GET, POST),
/// `…/retention` (GET, PUT). Background: the job scheduler and the email relay.
public struct AuditApp: ServiceDefinition {
    public static let name = ServiceName.audit

    public init() {}

    public var migrationsFolder: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public func registerRoutes(on router: Router, runtime audit: AuditRuntime) async throws {
        let context = audit.context
        if let migrator = context.migrator { try await audit.prepare(migrator: migrator) }
        IngestRoutes.register(on: router, context: context, ingestor: audit.ingestor)
        KeyRoutes.register(on: router, context: context, keys: audit.keys)
        CheckpointRoutes.registerInternal(on: router, context: context, audit: audit)
        router.group("/api/v1/audit", middleware: [context.userAuth]) { api in
            EventRoutes.register(on: api, audit: audit)
            ExportRoutes.register(on: api, audit: audit)
            VerifyRoutes.register(on: api, audit: audit)
            CheckpointRoutes.register(on: api, audit: audit)
            RetentionRoutes.register(on: api, audit: audit)
        }
    }

    public func agencyProvisioned(_ agency: AgencyID, _ request: ProvisionAgencyRequest, runtime audit: AuditRuntime) async throws {
        try await audit.registry.record(AuditChain(agency: agency), slug: request.slug, name: request.name,
                                        jobs: audit.configuration.firstRuns)
    }

    public func backgroundTasks(runtime audit: AuditRuntime) -> [BackgroundTask] {
        let context = audit.context
        let digest = CheckpointDigest(audit: audit, peers: context.peers, publicURL: context.configuration.publicURL)
        let scheduler = AuditScheduler(audit: audit, digest: digest, logger: context.logger, metrics: context.metrics)
        return [BackgroundTask(name: "audit-scheduler") { await scheduler.run() }] + context.outboxRelays([.emails])
    }

    public var commands: [ServiceCommand<AuditRuntime>] { AuditCommands.all }
}
