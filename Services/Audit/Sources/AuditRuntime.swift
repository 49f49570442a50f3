import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterService

/// Everything Audit's routes, jobs and commands share, built once per process by
/// `ServiceMain` and handed to each hook of `AuditApp`.
///
/// ```swift
/// let audit = try AuditRuntime(context: context)
/// let report = try await audit.verification.verify(chain)
/// ```
public struct AuditRuntime: ServiceRuntime {
    public let context: ServiceContext
    public let configuration: AuditConfiguration
    public let keys: AuditKeys
    public let events: EventStore
    public let checkpoints: CheckpointStore
    public let ingestor: Ingestor
    public let verification: ChainVerification
    public let checkpointer: Checkpointer
    public let purger: RetentionPurger
    public let registry: AgencyRegistry

    public init(context: ServiceContext) throws {
        let pool = context.db
        self.context = context
        configuration = try AuditConfiguration(environment: context.configuration.environment)
        keys = AuditKeys(pool: pool, ring: try MasterKeyRing(environment: context.configuration.environment))
        events = EventStore(pool: pool)
        checkpoints = CheckpointStore(pool: pool)
        ingestor = Ingestor(store: events, logger: context.logger, metrics: context.metrics)
        verification = ChainVerification(events: events, keys: keys)
        checkpointer = Checkpointer(verification: verification)
        purger = RetentionPurger(checkpointer: checkpointer, logger: context.logger)
        registry = AgencyRegistry(pool: pool)
    }

    /// Creates the platform chain's schema and registers it (idempotent), and makes
    /// sure a signing key exists, so that keys and the platform chain are there from the start.
    func prepare(migrator: Migrator) async throws {
        try await migrator.provisionAgency(AuditChain.platformStorageID)
        var jobs = configuration.firstRuns
        jobs[.digest] = nil
        try await registry.record(.platform, slug: AuditChain.platformSlug, name: "Platform", jobs: jobs)
        _ = try await keys.signingKey()
    }

    /// Records a verification in the verified chain; a chain too damaged to take
    /// the record still gets its report (the failure is logged).
    func recordVerification(_ report: ChainVerifier.Report, of chain: AuditChain, actor: AuditActor, source: AuditSource?,
                            reason: String?, logger: Logger) async {
        let summary = report.firstBrokenSeq.map { "broken at seq \($0)" } ?? "\(report.events) events, \(report.checkpoints) checkpoints"
        do {
            try await ingestor.record(AuditEvent(
                agencyID: chain.agencyID, actor: actor, action: "audit.chain.verified",
                target: AuditTarget(type: "audit_chain", id: chain.description), outcome: report.ok ? .success : .failure,
                source: source, reason: [reason, summary].compactMap { $0 }.joined(separator: ": ")))
        } catch {
            logger.error("could not record a verification in its chain", ["chain": chain.description, "error": "\(error)"])
        }
    }
}
