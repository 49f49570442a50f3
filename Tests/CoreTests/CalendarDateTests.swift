import Testing
import Foundation
import MusterTime

@Suite struct CalendarDateTests {
    @Test func parsesOnlyRealDays() throws {
        #expect(CalendarDate("2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2025-02-30") == nil)
        #expect(CalendarDate("2025-13-01") == nil)
        #expect(CalendarDate("2025-1-01") == nil)
        #expect(CalendarDate("0000-01-01") == nil)
        #expect(CalendarDate("2025-01-01T00:00:00Z") == nil)
        #expect(CalendarDate("２０２５-01-01") == nil)
    }

    @Test func addsMonthsClampedToTheMonthsEnd() throws {
        let jan31 = try #require(CalendarDate("2024-01-31"))
        #expect(jan31.addingMonths(1).description == "2024-02-29")
        #expect(try #require(CalendarDate("2023-01-31")).addingMonths(1).description == "2023-02-28")
        #expect(jan31.addingMonths(2).description == "2024-03-31")
        #expect(jan31.addingMonths(-2).description == "2023-11-30")
        #expect(jan31.addingMonths(-13).description == "2022-12-31")
        #expect(try #require(CalendarDate("2024-02-29")).addingMonths(12).description == "2025-02-28")
        #expect(try #require(CalendarDate("2024-02-29")).addingMonths(48).description == "2028-02-29")
    }

    /// Foundation's Gregorian calendar is the oracle for day counts and month arithmetic (after 1582, where it stops being Julian).
    @Test func agreesWithFoundationsCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let days = Int64.random(in: -120_000...200_000, using: &generator)
            let date = CalendarDate(daysSinceEpoch: days)
            let instant = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: instant)
            #expect(date.year == parts.year && date.month == parts.month && date.day == parts.day)
            #expect(CalendarDate(date.description) == date)
            let months = Int.random(in: -400...400, using: &generator)
            // Foundation's own month addition misplaces some month ends in later centuries
            // (2302-01-31 + 1 month = 2302-03-01), so the oracle composes the target month
            // and clamps the day with the month's length as Foundation counts it.
            let total = parts.year! * 12 + parts.month! - 1 + months
            let first = calendar.date(from: DateComponents(year: total / 12, month: total % 12 + 1, day: 1))!
            let length = calendar.range(of: .day, in: .month, for: first)!.count
            let expected = calendar.date(from: DateComponents(year: total / 12, month: total % 12 + 1, day: min(parts.day!, length)))!
            #expect(date.addingMonths(months).daysSinceEpoch == Int64(expected.timeIntervalSince1970 / 86_400))
        }
    }

    @Test func encodesAsItsWireForm() throws {
        let date = try #require(CalendarDate("2026-06-30"))
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-06-30"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: json) == [date])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}

@Suite struct AgencyTimeZoneTests {
    @Test func knowsOnlyIANAZones() {
        #expect(AgencyTimeZone("America/Chicago") != nil)
        #expect(AgencyTimeZone("Mars/Olympus") == nil)
        #expect(AgencyTimeZone("") == nil)
    }

    @Test func todayIsTheLocalDate() throws {
        // 2026-03-08 12:30 UTC: still 2026-03-08 in Chicago, already 2026-03-09 in Auckland.
        let instant = Date(timeIntervalSince1970: 1_772_973_000)
        #expect(try #require(AgencyTimeZone("America/Chicago")).date(at: instant).description == "2026-03-08")
        #expect(try #require(AgencyTimeZone("Pacific/Auckland")).date(at: instant).description == "2026-03-09")
    }

    /// A local hour on both sides of a daylight-saving change maps to the right instant.
    @Test func localHourAcrossDaylightSaving() throws {
        let zone = try #require(AgencyTimeZone("America/Los_Angeles"))
        let before = zone.instant(of: try #require(CalendarDate("2026-03-07")), hour: 7)
        let after = zone.instant(of: try #require(CalendarDate("2026-03-09")), hour: 7)
        #expect(before.timeIntervalSince1970 == 1_772_895_600)   // 15:00 UTC (PST)
        #expect(after.timeIntervalSince1970 == 1_773_064_800)    // 14:00 UTC (PDT)
        let skipped = zone.instant(of: try #require(CalendarDate("2026-03-08")), hour: 2)
        #expect(skipped.timeIntervalSince1970 == 1_772_964_000)  // 03:00 PDT, the first instant after the gap
    }
}
