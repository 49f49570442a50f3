import MusterCore

/// Audit's own settings, from the environment (Services/Audit/README.md lists them).
public struct AuditConfiguration: Sendable, Equatable {
    /// `MUSTER_AUDIT_CHECKPOINT_INTERVAL_S` (3600): how often a chain that grew gets a periodic checkpoint.
    public var checkpointInterval: Duration
    /// `MUSTER_AUDIT_DIGEST_INTERVAL_S` (604800, a week): the checkpoint email to each agency's admins.
    public var digestInterval: Duration
    /// `MUSTER_AUDIT_RETENTION_INTERVAL_S` (86400): how often each chain's retention is applied.
    public var retentionInterval: Duration
    /// `MUSTER_AUDIT_SCHEDULER_TICK_MS` (5000): how often the scheduler looks for due jobs.
    public var schedulerTick: Duration

    public init(environment: Environment) throws {
        checkpointInterval = .seconds(try environment.int("MUSTER_AUDIT_CHECKPOINT_INTERVAL_S", default: 3600))
        digestInterval = .seconds(try environment.int("MUSTER_AUDIT_DIGEST_INTERVAL_S", default: 604_800))
        retentionInterval = .seconds(try environment.int("MUSTER_AUDIT_RETENTION_INTERVAL_S", default: 86_400))
        schedulerTick = .milliseconds(try environment.int("MUSTER_AUDIT_SCHEDULER_TICK_MS", default: 5000))
        for (name, value) in [("CHECKPOINT_INTERVAL_S", checkpointInterval), ("DIGEST_INTERVAL_S", digestInterval),
                              ("RETENTION_INTERVAL_S", retentionInterval), ("SCHEDULER_TICK_MS", schedulerTick)] where value <= .zero {
            throw ConfigurationError(variable: "MUSTER_AUDIT_\(name)", problem: "must be positive")
        }
    }

    /// When each job of a newly provisioned chain first runs.
    var firstRuns: [AgencyRegistry.Job: Duration] {
        [.checkpoint: checkpointInterval, .digest: digestInterval, .retention: retentionInterval]
    }

    func interval(_ job: AgencyRegistry.Job) -> Duration {
        switch job {
        case .checkpoint: checkpointInterval
        case .digest: digestInterval
        case .retention: retentionInterval
        }
    }
}
