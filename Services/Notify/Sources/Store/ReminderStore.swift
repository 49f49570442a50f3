import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTime

/// The agency's reminder keys, digests and mutes (`reminders`, `reminder_digests`,
/// `reminder_mutes`), inside its scoped transaction.
///
/// ```swift
/// let sent = try await ReminderStore.history(of: items, in: tx)
/// let won = try await ReminderStore.claim(planned, messages: ids, sweptOn: day, in: tx)   // the keys this transaction wrote
/// ```
enum ReminderStore {
    private struct ItemKey: Codable {
        var personID: PersonID
        var itemID: DueItemID
        var dueOn: CalendarDate
    }

    /// The smallest threshold already sent per item, due date and recipient kind.
    static func history(of items: [DueItem], in tx: Transaction) async throws -> [ReminderHistoryKey: Int] {
        guard !items.isEmpty else { return [:] }
        let keys = items.map { ItemKey(personID: $0.personID, itemID: $0.item.id, dueOn: $0.dueOn) }
        let rows = try await tx.query("""
            SELECT r.person_id, r.item_id, r.due_on, r.recipient_kind, min(r.threshold) AS threshold
            FROM jsonb_to_recordset(\(try JSONB(keys))) AS k(person_id uuid, item_id uuid, due_on date)
            JOIN reminders r ON r.person_id = k.person_id AND r.item_id = k.item_id AND r.due_on = k.due_on
            GROUP BY r.person_id, r.item_id, r.due_on, r.recipient_kind
            """)
        var history: [ReminderHistoryKey: Int] = [:]
        for row in rows {
            guard let kind = RecipientKind(rawValue: try row.decode("recipient_kind")) else { continue }
            let key = ReminderHistoryKey(personID: try row.decode("person_id"), itemID: try row.decode("item_id"),
                                         dueOn: try row.decode("due_on"), kind: kind)
            history[key] = try row.decode("threshold", as: Int.self)
        }
        return history
    }

    private struct KeyRow: Codable {
        var personID: PersonID
        var itemID: DueItemID
        var itemKind: String
        var itemName: String
        var dueOn: CalendarDate
        var threshold: Int
        var recipientKind: String
        var recipientID: UUID
        var messageID: MessageID
    }

    /// Writes the unique key of each planned reminder with its message id; returns the
    /// message ids whose key this transaction wrote. A key another sweep holds (committed,
    /// or in flight: the insert waits for it) is skipped, so its email is never queued twice.
    static func claim(_ planned: [(PlannedReminder, MessageID)], sweptOn day: CalendarDate, in tx: Transaction) async throws -> Set<MessageID> {
        guard !planned.isEmpty else { return [] }
        let rows = planned.map { reminder, message in
            KeyRow(personID: reminder.item.personID, itemID: reminder.item.item.id,
                   itemKind: reminder.item.kind == .heldCertification ? "certification" : "requirement", itemName: reminder.item.item.name,
                   dueOn: reminder.item.dueOn, threshold: reminder.threshold, recipientKind: reminder.kind.rawValue,
                   recipientID: reminder.recipientID, messageID: message)
        }
        let inserted = try await tx.query("""
            INSERT INTO reminders (person_id, item_id, item_kind, item_name, due_on, threshold, recipient_kind, recipient_id,
                                   message_id, swept_on)
            SELECT person_id, item_id, item_kind, left(item_name, 300), due_on, threshold, recipient_kind, recipient_id, message_id,
                   \(day)
            FROM jsonb_to_recordset(\(try JSONB(rows))) AS r(person_id uuid, item_id uuid, item_kind text, item_name text, due_on date,
                                                         threshold integer, recipient_kind text, recipient_id uuid, message_id uuid)
            ON CONFLICT DO NOTHING
            RETURNING message_id
            """)
        return Set(try inserted.map { try $0.decode("message_id", as: MessageID.self) })
    }

    /// The coordinators of `coordinators` who have no digest for the week of `weekOf` yet.
    static func digestRecipients(_ coordinators: [EmailRecipient], weekOf: CalendarDate, in tx: Transaction) async throws -> [EmailRecipient] {
        let sent = Set(try await tx.query("SELECT recipient_id FROM reminder_digests WHERE week_of = \(weekOf)")
            .map { try $0.decode("recipient_id", as: UUID.self) })
        return coordinators.filter { $0.userID.map { !sent.contains($0.uuid) } ?? false }
    }

    /// Whether every coordinator's digest for the week is out (a sweep then need not look further back).
    static func digestSent(weekOf: CalendarDate, in tx: Transaction) async throws -> Bool {
        try await tx.query("SELECT 1 FROM reminder_digests WHERE week_of = \(weekOf) LIMIT 1").first != nil
    }

    /// Writes the digest key of one coordinator; false when another sweep already did.
    static func claimDigest(weekOf: CalendarDate, recipient: UserID, message: MessageID, in tx: Transaction) async throws -> Bool {
        try await tx.query("""
            INSERT INTO reminder_digests (week_of, recipient_id, message_id) VALUES (\(weekOf), \(recipient.uuid), \(message))
            ON CONFLICT DO NOTHING RETURNING message_id
            """).first != nil
    }

    /// Every officer's muted requirements.
    static func mutes(in tx: Transaction) async throws -> [UserID: Set<DueItemID>] {
        var mutes: [UserID: Set<DueItemID>] = [:]
        for row in try await tx.query("SELECT user_id, requirement_id FROM reminder_mutes") {
            mutes[try row.decode("user_id", as: UserID.self), default: []].insert(try row.decode("requirement_id", as: DueItemID.self))
        }
        return mutes
    }

    /// One officer's muted requirements, sorted.
    static func mutes(of user: UserID, in tx: Transaction) async throws -> [DueItemID] {
        try await tx.query("SELECT requirement_id FROM reminder_mutes WHERE user_id = \(user) ORDER BY requirement_id")
            .map { try $0.decode("requirement_id", as: DueItemID.self) }
    }

    /// Replaces one officer's muted requirements.
    static func setMutes(of user: UserID, to requirements: [DueItemID], in tx: Transaction) async throws {
        try await tx.execute("DELETE FROM reminder_mutes WHERE user_id = \(user)")
        try await tx.execute("""
            INSERT INTO reminder_mutes (user_id, requirement_id) SELECT \(user), unnest(\(requirements.map(\.description))::uuid[])
            """)
    }
}
