import MusterTime

/// The days before an item's `due_on` at which its reminders go out (agency setting
/// `reminder_thresholds`; 0 is the due date, negative days are after it), and which
/// one a sweep sends.
///
/// ```swift
/// let thresholds = ReminderThresholds([90, 60, 30, 14, 7, 1, 0, -7, -30])!
/// thresholds.latestCrossed(dueOn: x, on: x.addingDays(-10))            // 14
/// thresholds.toSend(dueOn: x, on: x.addingDays(-6), lastSent: 90)      // 7: the week's gap skips 14
/// thresholds.toSend(dueOn: x, on: x.addingDays(-6), lastSent: 7)       // nil: already told
/// ```
public struct ReminderThresholds: Sendable, Equatable {
    public static let standard = ReminderThresholds([90, 60, 30, 14, 7, 1, 0, -7, -30])!
    /// The widest range an agency may choose: a year before to a year after.
    public static let bounds = -366...366

    /// Distinct days, largest (earliest) first.
    public let days: [Int]

    /// nil for an empty list, more than 20 thresholds, or a day outside ``bounds``.
    public init?(_ days: [Int]) {
        guard !days.isEmpty, days.count <= 20, days.allSatisfy(Self.bounds.contains) else { return nil }
        self.days = Array(Set(days)).sorted(by: >)
    }

    /// The earliest threshold (days before `due_on`).
    public var first: Int { days[0] }
    /// The last threshold (the most days after `due_on` when negative).
    public var last: Int { days[days.count - 1] }

    /// The latest threshold crossed on `day`: the smallest one at or above the days left.
    /// nil while `due_on` is further away than the first threshold.
    public func latestCrossed(dueOn: CalendarDate, on day: CalendarDate) -> Int? {
        let left = day.days(until: dueOn)
        return days.last { $0 >= left }
    }

    /// The threshold a sweep on `day` sends for an item whose last reminder for this
    /// `due_on` was `lastSent`: only the latest crossed, and only if it is later than
    /// `lastSent` (a gap in the sweeps never sends the thresholds it skipped).
    public func toSend(dueOn: CalendarDate, on day: CalendarDate, lastSent: Int?) -> Int? {
        guard let crossed = latestCrossed(dueOn: dueOn, on: day) else { return nil }
        if let lastSent, lastSent <= crossed { return nil }
        return crossed
    }
}
