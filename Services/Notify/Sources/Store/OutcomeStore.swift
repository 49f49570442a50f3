import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterOutbox

/// How one attempt ended, to be recorded.
struct AttemptResult: Sendable {
    let message: PreparedMessage
    let outcome: DeliveryOutcome
    /// What the message becomes: `sent`, `retrying` (at `nextAttempt`) or `failed`.
    let status: MessageStatus
    let nextAttempt: Date?
}

/// Records attempts' outcomes, many at once: one statement per scope updates
/// the queue, the attempts and the messages, one more writes their audit events.
struct OutcomeStore: Sendable {
    let pool: DatabasePool

    /// One row of the batch (`jsonb_to_recordset`).
    private struct Row: Codable, Sendable {
        var messageID: MessageID
        var claimID: UUID
        var attempt: Int
        var outcome: AttemptOutcome
        var replyCode: Int?
        var reply: String
        var status: MessageStatus
        var nextAttemptAt: Date?
    }

    /// Records `results` (all of one scope) and audits each attempt. A message's
    /// status and queue row change only while the claim that sent it stands;
    /// returns the messages whose claim stood.
    func record(_ results: [AttemptResult], scope: Tenancy) async throws -> Set<MessageID> {
        let rows = results.map { result in
            Row(messageID: result.message.claim.message, claimID: result.message.claim.claimID, attempt: result.message.attempt,
                outcome: result.outcome.attemptOutcome, replyCode: result.outcome.code, reply: String(result.outcome.reply.prefix(1000)),
                status: result.status, nextAttemptAt: result.nextAttempt)
        }
        // Each table is also filtered by the ids as an array: joined only to the function's
        // rows, the planner would scan whole tables instead of using their keys.
        let ids = rows.map(\.messageID)
        return try await pool.within(scope) { tx in
            try await KeyedLookups.useIndexes(in: tx)
            let held = try await tx.query("""
                WITH input AS (
                    SELECT message_id, claim_id, attempt, outcome, reply_code, reply, status, next_attempt_at
                    FROM jsonb_to_recordset(\(try JSONB(rows))) AS r(
                        message_id uuid, claim_id uuid, attempt integer, outcome text, reply_code integer, reply text,
                        status text, next_attempt_at timestamptz)
                ), released AS (
                    DELETE FROM \(SchemaName.platform).delivery_queue AS q USING input AS i
                    WHERE q.message_id = ANY(\(ids)) AND q.message_id = i.message_id AND q.claim_id = i.claim_id
                      AND i.status IN ('sent', 'failed')
                    RETURNING q.message_id
                ), rescheduled AS (
                    UPDATE \(SchemaName.platform).delivery_queue AS q
                    SET due_at = i.next_attempt_at, claim_id = NULL, claimed_by = NULL
                    FROM input AS i
                    WHERE q.message_id = ANY(\(ids)) AND q.message_id = i.message_id AND q.claim_id = i.claim_id
                      AND i.status = 'retrying'
                    RETURNING q.message_id
                ), held AS (
                    SELECT message_id FROM released UNION ALL SELECT message_id FROM rescheduled
                ), attempt AS (
                    UPDATE \(scope.schema).message_attempts AS a
                    SET finished_at = clock_timestamp(), outcome = i.outcome, reply_code = i.reply_code, reply = i.reply
                    FROM input AS i
                    WHERE a.message_id = ANY(\(ids)) AND a.message_id = i.message_id AND a.number = i.attempt
                ), message AS (
                    UPDATE \(scope.schema).messages AS m
                    SET status = i.status, updated_at = now(), next_attempt_at = i.next_attempt_at,
                        last_error = CASE WHEN i.status = 'sent' THEN NULL ELSE i.reply END,
                        sent_at = CASE WHEN i.status = 'sent' THEN now() ELSE m.sent_at END,
                        sealed_data = CASE WHEN i.status IN ('sent', 'failed') THEN NULL ELSE m.sealed_data END
                    FROM input AS i
                    WHERE m.id = ANY(\(ids)) AND m.id = i.message_id AND m.id IN (SELECT message_id FROM held)
                )
                SELECT message_id FROM held
                """)
            try await Outbox.enqueue(results.map { result in
                EmailAudit.event(agency: scope.agencyID, message: result.message.claim.message, template: result.message.template.rawValue,
                                 recipient: result.message.recipient.userID, from: .sending, to: result.status,
                                 reason: result.status == .sent ? nil : String(result.outcome.reply.prefix(1000)))
            }, in: tx)
            return Set(try held.map { try $0.decode("message_id", as: MessageID.self) })
        }
    }
}
