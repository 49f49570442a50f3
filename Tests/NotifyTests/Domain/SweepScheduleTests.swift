import Foundation
import MusterTime
import NotifyService
import Testing

/// The scheduler's decision of when an agency's daily sweep is due, across daylight-saving changes.
@Suite struct SweepScheduleTests {
    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// 07:00 local on `day` by Foundation's calendar: the oracle.
    static func sevenOClock(_ day: String, _ zone: String) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zone))
        let parts = day.split(separator: "-").map { Int($0)! }
        return try #require(calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 7)))
    }

    @Test(arguments: [
        // Los Angeles: spring forward 2025-03-09, fall back 2025-11-02.
        ("America/Los_Angeles", "2025-03-08", "2025-03-08T15:00:00Z"),
        ("America/Los_Angeles", "2025-03-09", "2025-03-09T14:00:00Z"),
        ("America/Los_Angeles", "2025-11-01", "2025-11-01T14:00:00Z"),
        ("America/Los_Angeles", "2025-11-02", "2025-11-02T15:00:00Z"),
        // Auckland: back to NZST 2025-04-06, forward to NZDT 2025-09-28.
        ("Pacific/Auckland", "2025-04-05", "2025-04-04T18:00:00Z"),
        ("Pacific/Auckland", "2025-04-06", "2025-04-05T19:00:00Z"),
        ("Pacific/Auckland", "2025-09-27", "2025-09-26T19:00:00Z"),
        ("Pacific/Auckland", "2025-09-28", "2025-09-27T18:00:00Z"),
    ])
    func theSweepRunsAtTheLocalHourOnEachSideOfAChange(zone: String, day: String, expected: String) throws {
        let agencyZone = try #require(AgencyTimeZone(zone))
        let date = try #require(CalendarDate(day))
        let at = Self.instant(expected)
        #expect(try Self.sevenOClock(day, zone) == at, "the oracle agrees with the hand-worked instant")
        #expect(SweepSchedule.nextRun(after: date.addingDays(-1), zone: agencyZone, hour: 7) == at)
        // A second before: the day before is the one due; at the hour: this day.
        #expect(SweepSchedule.dueDay(now: at.addingTimeInterval(-1), zone: agencyZone, hour: 7, lastSwept: date.addingDays(-2))
            == date.addingDays(-1))
        #expect(SweepSchedule.dueDay(now: at.addingTimeInterval(-1), zone: agencyZone, hour: 7, lastSwept: date.addingDays(-1)) == nil)
        #expect(SweepSchedule.dueDay(now: at, zone: agencyZone, hour: 7, lastSwept: date.addingDays(-1)) == date)
        #expect(SweepSchedule.dueDay(now: at.addingTimeInterval(3600 * 10), zone: agencyZone, hour: 7, lastSwept: date) == nil)
        #expect(SweepSchedule.nextRun(now: at.addingTimeInterval(-1), zone: agencyZone, hour: 7, lastSwept: date.addingDays(-1)) == at)
        #expect(SweepSchedule.nextRun(now: at, zone: agencyZone, hour: 7, lastSwept: date) == SweepSchedule.nextRun(after: date, zone: agencyZone, hour: 7))
    }

    @Test func aDayNeverSweptOrLongMissedSweepsTheLatestDayOnly() throws {
        let zone = try #require(AgencyTimeZone("America/Chicago"))
        let now = Self.instant("2025-05-10T20:00:00Z")   // 15:00 in Chicago
        #expect(SweepSchedule.dueDay(now: now, zone: zone, hour: 7, lastSwept: nil) == CalendarDate("2025-05-10"))
        #expect(SweepSchedule.dueDay(now: now, zone: zone, hour: 7, lastSwept: CalendarDate("2025-05-01")) == CalendarDate("2025-05-10"))
        #expect(SweepSchedule.dueDay(now: now, zone: zone, hour: 16, lastSwept: CalendarDate("2025-05-01")) == CalendarDate("2025-05-09"))
    }

    @Test func everyLocalHourOfAYearIsReachedOnce() throws {
        // Walking a year hour by hour in each zone: each local day becomes due exactly once, at its 07:00.
        for name in ["Pacific/Auckland", "America/Los_Angeles"] {
            let zone = try #require(AgencyTimeZone(name))
            var last = CalendarDate("2024-12-31")!
            var swept: [CalendarDate] = []
            var now = Self.instant("2025-01-01T00:00:00Z")
            let end = Self.instant("2026-01-01T00:00:00Z")
            while now < end {
                if let day = SweepSchedule.dueDay(now: now, zone: zone, hour: 7, lastSwept: last) {
                    #expect(zone.date(at: now) == day)
                    swept.append(day)
                    last = day
                }
                now = now.addingTimeInterval(3600)
            }
            #expect(zip(swept, swept.dropFirst()).allSatisfy { $0.addingDays(1) == $1 }, "\(name): no day skipped or repeated")
            #expect(swept.count >= 364)
        }
    }
}
