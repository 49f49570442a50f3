import Foundation
import MusterContracts
import MusterCore
import MusterTime

/// Who a reminder is for: the officer the item concerns, or a supervisor of their unit.
public enum RecipientKind: String, Codable, Sendable, CaseIterable {
    case officer, supervisor
}

/// The reminders already sent for one item and due date, by recipient kind: the
/// smallest threshold sent (the latest reminder).
public struct ReminderHistoryKey: Hashable, Sendable {
    public var personID: PersonID
    public var itemID: DueItemID
    public var dueOn: CalendarDate
    public var kind: RecipientKind

    public init(personID: PersonID, itemID: DueItemID, dueOn: CalendarDate, kind: RecipientKind) {
        self.personID = personID
        self.itemID = itemID
        self.dueOn = dueOn
        self.kind = kind
    }
}

/// One email a sweep decided to send.
public struct PlannedReminder: Sendable, Equatable {
    public var item: DueItem
    public var threshold: Int
    public var kind: RecipientKind
    public var recipient: EmailRecipient
    /// The officer's person id for their copy, the supervisor's login for theirs: part of the unique key.
    public var recipientID: UUID
}

/// The agency's reminder settings as a sweep uses them.
public struct ReminderSettings: Sendable, Equatable {
    public var thresholds: ReminderThresholds
    public var supervisorCopyFromDays: Int
    public var digestWeekday: Weekday

    public init(thresholds: ReminderThresholds = .standard, supervisorCopyFromDays: Int = 30, digestWeekday: Weekday = .monday) {
        self.thresholds = thresholds
        self.supervisorCopyFromDays = supervisorCopyFromDays
        self.digestWeekday = digestWeekday
    }

    /// How far back a sweep looks for items: a threshold crossed up to this many days
    /// before the sweep (Notify down meanwhile) is still sent.
    public static let catchUpDays = 30

    /// The `due_on` window a sweep on `day` asks Records for.
    public func window(on day: CalendarDate) -> ClosedRange<CalendarDate> {
        day.addingDays(thresholds.last - Self.catchUpDays)...day.addingDays(max(thresholds.first, DigestRules.horizonDays))
    }
}

/// What a sweep on one day sends for a set of items, given what was sent before. Pure.
///
/// ```swift
/// let planned = ReminderPlanner.plan(items, on: day, settings: settings, history: sent, muted: [:])
/// ```
public enum ReminderPlanner {
    /// - Parameters:
    ///   - history: the smallest threshold already sent per item, due date and recipient kind.
    ///   - muted: by login, the requirement ids whose (non-mandatory) reminders the officer muted.
    public static func plan(_ items: [DueItem], on day: CalendarDate, settings: ReminderSettings,
                            history: [ReminderHistoryKey: Int], muted: [UserID: Set<DueItemID>]) -> [PlannedReminder] {
        var planned: [PlannedReminder] = []
        for item in items where ReminderRules.isReminded(kind: item.kind, status: item.status) {
            func key(_ kind: RecipientKind) -> ReminderHistoryKey {
                ReminderHistoryKey(personID: item.personID, itemID: item.item.id, dueOn: item.dueOn, kind: kind)
            }
            let mutes = item.userID.flatMap { muted[$0] } ?? []
            if let address = item.email, !ReminderRules.isMuted(item, muted: mutes),
               let threshold = settings.thresholds.toSend(dueOn: item.dueOn, on: day, lastSent: history[key(.officer)]) {
                planned.append(PlannedReminder(item: item, threshold: threshold, kind: .officer,
                                               recipient: EmailRecipient(userID: item.userID, address: address, name: item.personName),
                                               recipientID: item.personID.uuid))
            }
            if let supervisors = item.unit?.supervisors, !supervisors.isEmpty,
               let threshold = settings.thresholds.toSend(dueOn: item.dueOn, on: day, lastSent: history[key(.supervisor)]),
               ReminderRules.supervisorCopies(threshold: threshold, fromDays: settings.supervisorCopyFromDays) {
                for supervisor in supervisors where supervisor.userID != item.userID {
                    planned.append(PlannedReminder(item: item, threshold: threshold, kind: .supervisor, recipient: supervisor,
                                                   recipientID: supervisor.userID?.uuid ?? item.personID.uuid))
                }
            }
        }
        return planned
    }
}

/// The weekly coordinator digest: everyone due within 30 days or overdue.
public enum DigestRules {
    public static let horizonDays = 30

    /// Whether `item` belongs in the digest of a sweep on `day`.
    public static func lists(_ item: DueItem, on day: CalendarDate) -> Bool {
        ReminderRules.isReminded(kind: item.kind, status: item.status) && day.days(until: item.dueOn) <= horizonDays
    }
}
