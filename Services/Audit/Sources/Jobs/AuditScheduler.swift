import MusterCore

/// Runs each chain's due jobs — periodic checkpoints, the weekly digest email,
/// retention — whichever replica claims them first (``AgencyRegistry/claimDue``).
/// A job that fails is logged and waits for its next turn; a chain that no longer
/// verifies is reported loudly (log and `audit_chain_broken_total`) and never
/// checkpointed or purged.
struct AuditScheduler: Sendable {
    let audit: AuditRuntime
    let digest: CheckpointDigest
    let logger: Logger
    let broken: MetricsRegistry.Counter
    /// Chains claimed per job per turn.
    static let claimLimit = 20

    init(audit: AuditRuntime, digest: CheckpointDigest, logger: Logger, metrics: MetricsRegistry) {
        self.audit = audit
        self.digest = digest
        self.logger = logger
        broken = metrics.counter("audit_chain_broken_total", help: "Scheduled checks that found a chain that does not verify.")
    }

    func run() async {
        while !Task.isCancelled {
            var busy = false
            for job in AgencyRegistry.Job.allCases {
                do {
                    let chains = try await audit.registry.claimDue(job, limit: Self.claimLimit, nextIn: audit.configuration.interval(job))
                    busy = busy || chains.count == Self.claimLimit
                    for chain in chains { await run(job, for: chain) }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("audit scheduler could not claim jobs", ["job": job.rawValue, "error": "\(error)"])
                }
            }
            if !busy { try? await Task.sleep(for: audit.configuration.schedulerTick) }
        }
    }

    func run(_ job: AgencyRegistry.Job, for chain: AuditChain) async {
        do {
            switch job {
            case .checkpoint: _ = try await audit.checkpointer.checkpoint(chain, kind: .periodic)
            case .digest: try await digest.send(for: chain)
            case .retention: try await audit.purger.purge(chain)
            }
        } catch let error as Checkpointer.ChainBroken {
            broken.increment()
            logger.error("audit chain does not verify", ["chain": chain.description, "seq": String(error.seq), "job": job.rawValue])
        } catch {
            logger.warning("audit job failed; retried next turn", ["chain": chain.description, "job": job.rawValue, "error": "\(error)"])
        }
    }
}
