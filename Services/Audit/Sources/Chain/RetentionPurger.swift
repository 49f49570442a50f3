import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTime

/// Applies an agency's retention: removes the whole prefix of its chain recorded
/// before the cutoff (now minus the agency's retention years), after signing a
/// retention-cut checkpoint at the last removed event — which also re-verifies the
/// segment, so a broken chain is never purged. What remains verifies from the cut.
///
/// The delete is the one the events table allows: the service's role takes DELETE
/// for this transaction only and names the cut in `muster.audit_purge_through`;
/// the table's trigger still refuses anything recorded less than a year ago.
///
/// ```swift
/// if let through = try await purger.purge(.agency(id)) { print("purged 1…\(through)") }
/// ```
public struct RetentionPurger: Sendable {
    let checkpointer: Checkpointer
    let logger: Logger

    public init(checkpointer: Checkpointer, logger: Logger) {
        self.checkpointer = checkpointer
        self.logger = logger
    }

    /// Purges what is due as of `now`; returns the last purged seq, or nil when nothing was due.
    @discardableResult
    public func purge(_ chain: AuditChain, asOf now: Date = Date()) async throws -> Int64? {
        let events = checkpointer.verification.events
        let checkpoints = checkpointer.verification.checkpoints
        let through: Int64? = try await events.pool.withChain(chain) { tx in
            let policy = try await AgencySettingKeys.retentionPolicy(in: tx)
            let cutoff = MicroTime(Self.calendar.date(byAdding: .year, value: -policy.years, to: now) ?? now)
            let row = try await tx.query("""
                SELECT (SELECT min(seq) FROM events WHERE recorded_at >= \(cutoff)) AS first_kept, (SELECT seq FROM chain_head) AS head
                """)[0]
            let alreadyCut = try await checkpoints.latestCut(of: chain, in: tx)?.seq ?? 0
            return RetentionPolicy.purgeThrough(firstKeptSeq: try row.decode("first_kept"), head: try row.decode("head"),
                                                alreadyCut: alreadyCut)
        }
        guard let through else { return nil }
        guard let cut = try await checkpointer.checkpoint(chain, kind: .retentionCut, at: through), cut.seq == through else {
            return nil
        }
        let purged = try await events.pool.withChain(chain) { tx in
            try await tx.execute("GRANT DELETE ON events TO CURRENT_USER")
            _ = try await tx.query("SELECT set_config('muster.audit_purge_through', \(String(through)), true)")
            let purged = try await tx.execute("DELETE FROM events WHERE seq <= \(through)")
            try await tx.execute("REVOKE DELETE ON events FROM CURRENT_USER")
            let record = try EventNormalizer.normalize(AuditEvent(
                agencyID: chain.agencyID, actor: .service(.audit), action: "audit.retention.purged",
                target: AuditTarget(type: "audit_events", id: "..\(through)"),
                reason: "retention: events recorded before the cutoff; retention cut checkpoint at seq \(through)"))
            _ = try await events.append([record], in: tx, at: .now())
            return purged
        }
        logger.info("audit retention purge", ["chain": chain.description, "through_seq": String(through), "events": String(purged)])
        return through
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
