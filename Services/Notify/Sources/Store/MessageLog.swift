import Foundation
import MusterCore
import MusterDatabase

/// One message as the delivery log shows it: never its data or body.
struct MessageEntry: Sendable, Decodable {
    var id: MessageID
    var template: String
    var status: MessageStatus
    var recipientUserID: UserID?
    var recipientAddress: String
    var recipientName: String?
    var requestedBy: String
    var attempts: Int
    var lastError: String?
    var createdAt: Date
    var updatedAt: Date
    var nextAttemptAt: Date?
    var sentAt: Date?
    /// `created_at` to the microsecond, for the cursor.
    var cursorTime: String
}

/// One attempt of a message.
struct AttemptEntry: Sendable, Codable {
    var number: Int
    var replica: String
    var startedAt: Date
    var finishedAt: Date?
    var outcome: AttemptOutcome?
    var replyCode: Int?
    var reply: String?
}

/// Reads an agency's delivery log; call inside the agency's scoped transaction.
enum MessageLog {
    private static let columns: SQL = """
        id, template, status, recipient_user_id, recipient_address, recipient_name, requested_by, attempts, last_error,
        created_at, updated_at, next_attempt_at, sent_at,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time
        """

    /// Newest first; `limit` entries after `cursor`, and the cursor of the next page.
    static func page(status: MessageStatus?, after cursor: MessageCursor?, limit: Int,
                     in tx: Transaction) async throws -> (entries: [MessageEntry], next: MessageCursor?) {
        var filter: SQL = "TRUE"
        if let status { filter = filter + " AND status = \(status.rawValue)" }
        if let cursor { filter = filter + " AND (created_at, id) < (\(cursor.createdAt)::timestamptz, \(cursor.id))" }
        let rows = try await tx.query("""
            SELECT \(columns) FROM messages WHERE \(filter) ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, decoding: MessageEntry.self)
        let entries = Array(rows.prefix(limit))
        let next = rows.count > limit ? entries.last.map { MessageCursor(createdAt: $0.cursorTime, id: $0.id) } : nil
        return (entries, next)
    }

    static func entry(_ id: MessageID, in tx: Transaction) async throws -> (MessageEntry, [AttemptEntry])? {
        guard let entry = try await tx.query("SELECT \(columns) FROM messages WHERE id = \(id)", decoding: MessageEntry.self).first else {
            return nil
        }
        let attempts = try await tx.query("""
            SELECT number, replica, started_at, finished_at, outcome, reply_code, reply
            FROM message_attempts WHERE message_id = \(id) ORDER BY number
            """, decoding: AttemptEntry.self)
        return (entry, attempts)
    }
}
