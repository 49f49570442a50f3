import MusterCore
import MusterDatabase
import MusterService

/// Retries agencies stuck in `provisioning` (a service was down, Identity
/// restarted mid-way) and prunes the revocation feed. Safe with several
/// replicas: each agency is claimed by pushing its next attempt a minute ahead
/// under `FOR UPDATE SKIP LOCKED`.
struct ProvisioningReconciler: Sendable {
    let provisioner: AgencyProvisioner
    let pool: DatabasePool
    let interval: Duration
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            do {
                for id in try await claimDue() { await provisioner.advance(id) }
                try await pool.execute("DELETE FROM \(SchemaName.platform).revocations WHERE revoked_at < now() - interval '1 day'")
            } catch is CancellationError {
                return
            } catch {
                logger.warning("provisioning reconciler pass failed", ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func claimDue() async throws -> [AgencyID] {
        try await pool.query("""
            UPDATE \(SchemaName.platform).agencies SET next_provisioning_at = now() + interval '60 seconds'
            WHERE id IN (SELECT id FROM \(SchemaName.platform).agencies
                         WHERE status = 'provisioning' AND next_provisioning_at <= now()
                         ORDER BY next_provisioning_at LIMIT 10 FOR UPDATE SKIP LOCKED)
            RETURNING id
            """).map { try $0.decode("id", as: AgencyID.self) }
    }
}
