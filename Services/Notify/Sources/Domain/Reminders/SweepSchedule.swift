import Foundation
import MusterTime

/// When an agency's daily reminder sweep is due: once a local day, at its local
/// `reminder_hour`, in its time zone (daylight-saving changes included: the hour is
/// the wall-clock hour, so the instant moves with the offset).
///
/// ```swift
/// let zone = AgencyTimeZone("America/Los_Angeles")!
/// SweepSchedule.dueDay(now: now, zone: zone, hour: 7, lastSwept: yesterday)   // today once 07:00 local has passed
/// SweepSchedule.nextRun(after: today, zone: zone, hour: 7)                    // 07:00 local tomorrow, as an instant
/// SweepSchedule.nextRun(now: now, zone: zone, hour: 7, lastSwept: today)     // the same
/// ```
public enum SweepSchedule {
    /// The local day to sweep now: the latest day whose send hour has passed, if not
    /// swept yet. A replica down over several days sweeps only the latest one (the
    /// thresholds catch up on what was crossed meanwhile).
    public static func dueDay(now: Date, zone: AgencyTimeZone, hour: Int, lastSwept: CalendarDate?) -> CalendarDate? {
        let today = zone.date(at: now)
        let day = now >= zone.instant(of: today, hour: hour) ? today : today.addingDays(-1)
        if let lastSwept, lastSwept >= day { return nil }
        return day
    }

    /// When the sweep after the one of `day` is due.
    public static func nextRun(after day: CalendarDate, zone: AgencyTimeZone, hour: Int) -> Date {
        zone.instant(of: day.addingDays(1), hour: hour)
    }

    /// When the next sweep is due, seen from `now` (the send hour of the first day not swept yet).
    public static func nextRun(now: Date, zone: AgencyTimeZone, hour: Int, lastSwept: CalendarDate?) -> Date {
        let today = zone.date(at: now)
        let passed = now >= zone.instant(of: today, hour: hour) ? today : today.addingDays(-1)
        return nextRun(after: max(passed, lastSwept ?? passed), zone: zone, hour: hour)
    }
}

/// A day of the week, as agencies name it (setting `digest_weekday`).
public enum Weekday: String, Codable, Sendable, CaseIterable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The weekday of `day` (1970-01-01 was a Thursday).
    public init(of day: CalendarDate) {
        let index = Int(((day.daysSinceEpoch + 3) % 7 + 7) % 7)
        self = Self.allCases[index]
    }

    /// The latest day on or before `day` that falls on this weekday: the week a digest belongs to.
    public func latest(onOrBefore day: CalendarDate) -> CalendarDate {
        let back = (Self.allCases.firstIndex(of: Weekday(of: day))! - Self.allCases.firstIndex(of: self)! + 7) % 7
        return day.addingDays(-back)
    }
}
