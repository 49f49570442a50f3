import Foundation
import MusterCore
import MusterDatabase

/// The queue every replica works: `platform.delivery_queue`, one row per message
/// still to go out, whatever schema the message lives in.
///
/// Why a platform-level index: messages live in their agency's schema, and a
/// replica must not look into thousands of schemas on every tick to find the few
/// with due mail. One indexed query here finds due work across all agencies; the
/// message itself is then read and updated inside its agency's scoped transaction.
///
/// A claim takes due rows with `FOR UPDATE SKIP LOCKED` (replicas never wait for
/// or take each other's rows), moves their `due_at` to the end of the lease and
/// stamps a fresh `claim_id`. Only the holder of the current claim may release the
/// row (sent, failed) or reschedule it (retry). A replica that dies mid-send
/// releases nothing: the row becomes due again when the lease ends, and another
/// replica sends the message.
struct DeliveryQueue: Sendable {
    let pool: DatabasePool

    struct Claim: Sendable, Hashable {
        let message: MessageID
        let scope: Tenancy
        let claimID: UUID
        /// When this replica stops trusting the claim (measured before the claim was made).
        let expires: ContinuousClock.Instant
    }

    func claim(limit: Int, lease: Duration, replica: String) async throws -> [Claim] {
        let expires = ContinuousClock.now + lease
        let rows = try await pool.query("""
            WITH due AS (
                SELECT message_id FROM \(SchemaName.platform).delivery_queue
                WHERE due_at <= now() ORDER BY due_at LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            UPDATE \(SchemaName.platform).delivery_queue AS q
            SET due_at = now() + \(lease.milliseconds) * interval '1 millisecond', claim_id = gen_random_uuid(),
                claimed_by = \(replica)
            -- An array of keys, not a join: the claimed rows are found by their key, never by a scan.
            WHERE q.message_id = ANY(ARRAY(SELECT message_id FROM due))
            RETURNING q.message_id, q.agency_id, q.claim_id
            """)
        return try rows.map { row in
            Claim(message: try row.decode("message_id"), scope: Tenancy(try row.decode("agency_id", as: AgencyID?.self)),
                  claimID: try row.decode("claim_id"), expires: expires)
        }
    }

    /// Drops the rows of claimed messages that need no sending (already sent or failed).
    func release(_ claims: [Claim], in tx: Transaction) async throws {
        guard !claims.isEmpty else { return }
        try await tx.execute("""
            DELETE FROM \(SchemaName.platform).delivery_queue
            WHERE message_id = ANY(\(claims.map(\.message))) AND claim_id = ANY(\(claims.map(\.claimID)))
            """)
    }
}
