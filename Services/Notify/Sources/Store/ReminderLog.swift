import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterTime

/// Reminders sent, newest sweep first, with their message's delivery status.
enum ReminderLog {
    /// Where a page ended: the sweep day and the message id.
    struct Cursor: Sendable {
        var sweptOn: CalendarDate
        var messageID: MessageID

        init(sweptOn: CalendarDate, messageID: MessageID) {
            self.sweptOn = sweptOn
            self.messageID = messageID
        }

        init?(pageCursor: PageCursor) {
            guard let day = CalendarDate(pageCursor.fields[0]), let id = MessageID(string: pageCursor.fields[1]) else { return nil }
            self.init(sweptOn: day, messageID: id)
        }

        var pageCursor: PageCursor { PageCursor([sweptOn.description, messageID.description]) }
    }

    struct Entry: Codable, Sendable {
        var personID: PersonID
        var itemID: DueItemID
        var itemKind: String
        var itemName: String
        var dueOn: CalendarDate
        var threshold: Int
        var recipientKind: String
        var recipientAddress: String
        var messageID: MessageID
        var sweptOn: CalendarDate
        var status: String
        var sentAt: Date?

        var cursor: Cursor { Cursor(sweptOn: sweptOn, messageID: messageID) }
    }

    /// `recipient`: only reminders addressed to this login (nil: all of them).
    static func page(person: PersonID?, recipient: UserID?, from: CalendarDate, to: CalendarDate, after: Cursor?, limit: Int,
                     in tx: Transaction) async throws -> [Entry] {
        try await tx.query("""
            SELECT r.person_id, r.item_id, r.item_kind, r.item_name, r.due_on, r.threshold, r.recipient_kind,
                   m.recipient_address, r.message_id, r.swept_on, m.status, m.sent_at
            FROM reminders r JOIN messages m ON m.id = r.message_id
            WHERE r.swept_on BETWEEN \(from) AND \(to)
              \(person.map { "AND r.person_id = \($0)" as SQL } ?? "")
              \(recipient.map { "AND m.recipient_user_id = \($0)" as SQL } ?? "")
              \(after.map { "AND (r.swept_on, r.message_id) < (\($0.sweptOn), \($0.messageID))" as SQL } ?? "")
            ORDER BY r.swept_on DESC, r.message_id DESC
            LIMIT \(limit)
            """).decode(Entry.self)
    }
}
