import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDataKeys
import MusterDatabase
import MusterOutbox

/// Stores the messages other services hand over and queues them, in one
/// transaction per scope: a message is queued exactly when it is stored.
/// Idempotent by message id: a message sent again changes nothing.
struct MessageIntake: Sendable {
    let pool: DatabasePool
    let keys: DataKeyStore

    /// One row of the batch insert (`jsonb_to_recordset`).
    private struct Row: Codable, Sendable {
        var id: MessageID
        var template: String
        var recipientUserID: UserID?
        var recipientAddress: String
        var recipientName: String?
        /// Base64 of the sealed data; absent for a message refused at intake.
        var sealedData: String?
        var status: MessageStatus
        var lastError: String?
    }

    /// Stores `requests` (all of one scope). A request that cannot be sent is
    /// stored as `failed` with the reason and audited. Every message is stored when it returns.
    func accept(_ requests: [EmailRequest], scope: Tenancy, caller: ServiceName) async throws {
        try await pool.within(scope) { tx in try await store(requests, scope: scope, caller: caller, in: tx) }
    }

    /// Stores and queues `requests` inside `tx`, a transaction of `scope`: with whatever
    /// else the caller writes there (a reminder's unique key), or none of it.
    func store(_ requests: [EmailRequest], scope: Tenancy, caller: ServiceName, in tx: Transaction) async throws {
        var rows: [Row] = []
        var refused: [MessageID: (EmailRequest, String)] = [:]
        for request in requests {
            let problem = MessageCheck.problem(with: request)
            let sealed = problem == nil ? try await keys.seal(request.data, for: request.id, scope: scope, in: tx) : nil
            if let problem { refused[request.id] = (request, problem) }
            rows.append(Row(id: request.id, template: String(request.template.prefix(64)), recipientUserID: request.recipient.userID,
                            recipientAddress: String(request.recipient.address.prefix(320)),
                            recipientName: request.recipient.name.map { String($0.prefix(200)) },
                            sealedData: sealed.map { Base64.encode($0) }, status: problem == nil ? .queued : .failed,
                            lastError: problem))
        }
        let inserted = try await tx.query("""
            WITH input AS (
                SELECT id, template, recipient_user_id, recipient_address, recipient_name, sealed_data, status, last_error
                FROM jsonb_to_recordset(\(try JSONB(rows))) AS r(
                    id uuid, template text, recipient_user_id uuid, recipient_address text, recipient_name text,
                    sealed_data text, status text, last_error text)
            ), inserted AS (
                INSERT INTO \(scope.schema).messages (id, template, recipient_user_id, recipient_address, recipient_name,
                                                      sealed_data, requested_by, status, last_error)
                SELECT id, template, recipient_user_id, recipient_address, recipient_name,
                       decode(sealed_data, 'base64'), \(caller.rawValue), status, last_error
                FROM input
                ON CONFLICT (id) DO NOTHING
                RETURNING id, status
            ), queued AS (
                INSERT INTO \(SchemaName.platform).delivery_queue (message_id, agency_id)
                SELECT id, \(scope.agencyID) FROM inserted WHERE status = 'queued'
                ON CONFLICT (message_id) DO NOTHING
            )
            SELECT id FROM inserted
            """)
        for row in inserted {
            let id = try row.decode("id", as: MessageID.self)
            guard let (request, problem) = refused[id] else { continue }
            try await Outbox.enqueue(EmailAudit.event(agency: scope.agencyID, message: id, template: request.template,
                                                      recipient: request.recipient.userID, from: nil, to: .failed,
                                                      reason: problem), in: tx)
        }
    }
}
