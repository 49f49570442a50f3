import Foundation
import MusterContracts
import MusterCore
import MusterTime
import NotifyService
import Testing

/// The sweep's decisions, worked by hand: which threshold a day sends, who gets a copy.
@Suite struct ReminderRulesTests {
    static let due = CalendarDate("2025-06-30")!
    static let thresholds = ReminderThresholds.standard

    /// Sweeps `days` (offsets from the due date) in order, remembering the last threshold
    /// sent as the store would; returns (offset, threshold) of what was sent.
    static func sweep(_ offsets: [Int], dueOn: CalendarDate = due) -> [(Int, Int)] {
        var last: Int?
        var sent: [(Int, Int)] = []
        for offset in offsets {
            if let threshold = thresholds.toSend(dueOn: dueOn, on: dueOn.addingDays(offset), lastSent: last) {
                sent.append((offset, threshold))
                last = threshold
            }
        }
        return sent
    }

    @Test func dailySweepsSendEachThresholdOnceOnItsDay() {
        let sent = Self.sweep(Array(-100...40))
        #expect(sent.map(\.1) == [90, 60, 30, 14, 7, 1, 0, -7, -30])
        // Each on the day it is first crossed: `threshold` days before the due date.
        #expect(sent.allSatisfy { $0.0 == -$0.1 })
    }

    @Test func aGapSendsOnlyTheLatestThresholdCrossed() {
        #expect(Self.sweep([-85, -6]).map(\.1) == [90, 7])
        #expect(Self.sweep([-95]).isEmpty)
        #expect(Self.sweep([-90]).map(\.1) == [90], "a threshold first crossed today is sent today")
        #expect(Self.sweep([-13, -12, -8]).map(\.1) == [14])
        #expect(Self.sweep([50]).map(\.1) == [-30], "long overdue: the last threshold, once")
        #expect(Self.sweep([31, 50]).map(\.1) == [-30])
    }

    @Test func aNewDueDateStartsTheThresholdsAgain() {
        let renewed = Self.due.addingDays(365)
        // Sent 30 for the old date; the renewal moves due_on: the history of the old date does not count.
        #expect(Self.thresholds.toSend(dueOn: renewed, on: renewed.addingDays(-90), lastSent: nil) == 90)
        #expect(Self.thresholds.toSend(dueOn: renewed, on: Self.due.addingDays(-19), lastSent: nil) == nil)
    }

    @Test func thresholdsAreValidatedAndSorted() {
        #expect(ReminderThresholds([7, 30, 7, -1])?.days == [30, 7, -1])
        #expect(ReminderThresholds([]) == nil)
        #expect(ReminderThresholds([400]) == nil)
        #expect(ReminderThresholds(Array(0..<21)) == nil)
    }

    @Test func whichStatusesAreReminded() {
        for kind in DueItem.Kind.allCases {
            #expect(!ReminderRules.isReminded(kind: kind, status: .waived))
            #expect(!ReminderRules.isReminded(kind: kind, status: .notApplicable))
            #expect(ReminderRules.isReminded(kind: kind, status: .overdue))
            #expect(ReminderRules.isReminded(kind: kind, status: .dueSoon))
            #expect(ReminderRules.isReminded(kind: kind, status: .inProgress))
        }
        #expect(!ReminderRules.isReminded(kind: .hours, status: .met))
        #expect(!ReminderRules.isReminded(kind: .completion, status: .met))
        #expect(!ReminderRules.isReminded(kind: .policy, status: .met))
        #expect(ReminderRules.isReminded(kind: .recurring, status: .met))
        #expect(ReminderRules.isReminded(kind: .certification, status: .met))
        #expect(ReminderRules.isReminded(kind: .heldCertification, status: .met))
    }

    static let officer = UserID(), supervisor = UserID()

    static func item(mandatory: Bool = false, status: DueItem.Status = .met, email: String? = "sam@metro.example") -> DueItem {
        DueItem(personID: PersonID(), personName: "Sam Rivera", email: email, userID: officer,
                unit: DueUnit(id: UnitID(), name: "Patrol", supervisors: [EmailRecipient(userID: supervisor, address: "sup@metro.example")]),
                item: DueItem.Subject(id: DueItemID(), name: "Firearms"), kind: .certification, mandatory: mandatory, status: status,
                dueOn: due, missing: MissingWork(renew: "Firearms"))
    }

    static func recipients(_ planned: [PlannedReminder]) -> [String] { planned.map { "\($0.kind.rawValue):\($0.threshold)" } }

    @Test func supervisorsGetTheirCopyFromThirtyDaysAndWhenOverdue() {
        let item = Self.item()
        let settings = ReminderSettings()
        func plan(_ offset: Int, history: [ReminderHistoryKey: Int] = [:]) -> [String] {
            Self.recipients(ReminderPlanner.plan([item], on: Self.due.addingDays(offset), settings: settings, history: history, muted: [:]))
        }
        #expect(plan(-60) == ["officer:60"])
        #expect(plan(-30) == ["officer:30", "supervisor:30"])
        #expect(plan(7) == ["officer:-7", "supervisor:-7"])
        let key = { (kind: RecipientKind) in ReminderHistoryKey(personID: item.personID, itemID: item.item.id, dueOn: item.dueOn, kind: kind) }
        #expect(plan(-30, history: [key(.officer): 30]) == ["supervisor:30"])
        #expect(plan(-29, history: [key(.officer): 30, key(.supervisor): 30]) == [])
        var later = settings
        later.supervisorCopyFromDays = 7
        #expect(Self.recipients(ReminderPlanner.plan([item], on: Self.due.addingDays(-14), settings: later, history: [:], muted: [:]))
            == ["officer:14"])
    }

    @Test func mutingStopsOnlyTheOfficersCopyOfItemsThatAreNotMandatory() {
        let optional = Self.item(), mandatory = Self.item(mandatory: true)
        let muted = [Self.officer: Set([optional.item.id, mandatory.item.id])]
        let day = Self.due.addingDays(-30)
        #expect(Self.recipients(ReminderPlanner.plan([optional], on: day, settings: ReminderSettings(), history: [:], muted: muted))
            == ["supervisor:30"])
        #expect(Self.recipients(ReminderPlanner.plan([mandatory], on: day, settings: ReminderSettings(), history: [:], muted: muted))
            == ["officer:30", "supervisor:30"])
        // No address: nobody to tell but the supervisor; met hours: nobody at all.
        #expect(Self.recipients(ReminderPlanner.plan([Self.item(email: nil)], on: day, settings: ReminderSettings(), history: [:], muted: [:]))
            == ["supervisor:30"])
        var hours = Self.item()
        hours.kind = .hours
        #expect(ReminderPlanner.plan([hours], on: day, settings: ReminderSettings(), history: [:], muted: [:]).isEmpty)
    }

    @Test func theDigestListsWhatIsDueWithinThirtyDaysOrOverdue() {
        var item = Self.item(status: .dueSoon)
        #expect(DigestRules.lists(item, on: Self.due.addingDays(-30)))
        #expect(!DigestRules.lists(item, on: Self.due.addingDays(-31)))
        item.status = .overdue
        #expect(DigestRules.lists(item, on: Self.due.addingDays(200)))
        item.status = .waived
        #expect(!DigestRules.lists(item, on: Self.due))
    }

    @Test func weekdaysAgreeWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for offset in 0..<14 {
            let day = Self.due.addingDays(offset)
            let date = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400)
            // Foundation: 1 = Sunday … 7 = Saturday.
            let expected: [Weekday] = [.sunday, .monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
            #expect(Weekday(of: day) == expected[calendar.component(.weekday, from: date) - 1])
        }
        // 2025-06-30 is a Monday; the digest week of Sunday 2025-07-06 began on it.
        #expect(Weekday.monday.latest(onOrBefore: CalendarDate("2025-07-06")!) == Self.due)
        #expect(Weekday.monday.latest(onOrBefore: Self.due) == Self.due)
        #expect(Weekday.friday.latest(onOrBefore: Self.due) == CalendarDate("2025-06-27")!)
    }

    @Test func datesAndDistancesInWords() {
        #expect(ReminderWording.date(Self.due) == "Monday, June 30, 2025")
        #expect(ReminderWording.date(CalendarDate("2024-02-29")!) == "Thursday, February 29, 2024")
        #expect(ReminderWording.whenDue(daysLeft: 30) == "in 30 days")
        #expect(ReminderWording.whenDue(daysLeft: 1) == "tomorrow")
        #expect(ReminderWording.whenDue(daysLeft: 0) == "today")
        #expect(ReminderWording.whenDue(daysLeft: -7) == "7 days ago")
        #expect(ReminderWording.missing(MissingWork(remainingHours: 12.5, categories: [.init(categoryCodes: ["firearms"], remainingHours: 4)]),
                                        kind: .hours) == "12.5 hours of training; 4 hours in firearms")
        #expect(ReminderWording.missing(MissingWork(renew: "Firearms"), kind: .heldCertification) == "renew Firearms")
    }
}
