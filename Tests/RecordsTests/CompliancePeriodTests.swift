import MusterTime
import RecordsService
import Testing

@Suite struct CompliancePeriodTests {
    func periods(_ rule: PeriodRule, _ date: String, anchor: String? = nil) -> (CompliancePeriod, CompliancePeriod?)? {
        rule.periods(containing: day(date), anchorDate: anchor.map(day)).map { ($0.current, $0.previous) }
    }

    @Test func californiaTwoYearCyclesFromOddYears() throws {
        let cpt = PeriodRule.fixed(startsOn: day("2025-01-01"), months: 24)
        let end = try #require(periods(cpt, "2026-12-31"))
        #expect(end.0 == span("2025-01-01", "2026-12-31") && end.1 == span("2023-01-01", "2024-12-31"))
        #expect(periods(cpt, "2027-01-01")?.0 == span("2027-01-01", "2028-12-31"))
        // Before the rule's start date the same grid extends backwards (k < 0).
        #expect(periods(cpt, "1990-06-15")?.0 == span("1989-01-01", "1990-12-31"))
    }

    @Test func texasUnitsAndUtahYears() {
        let texas = PeriodRule.fixed(startsOn: day("2023-09-01"), months: 24)
        #expect(periods(texas, "2025-08-31")?.0 == span("2023-09-01", "2025-08-31"))
        #expect(periods(texas, "2025-09-01")?.0 == span("2025-09-01", "2027-08-31"))
        let utah = PeriodRule.fixed(startsOn: day("2000-07-01"), months: 12)
        #expect(periods(utah, "2025-06-30")?.0 == span("2024-07-01", "2025-06-30"))
        #expect(periods(utah, "2025-07-01")?.1 == span("2024-07-01", "2025-06-30"))
    }

    @Test func calendarYear() {
        #expect(periods(.calendarYear, "2024-02-29")?.0 == span("2024-01-01", "2024-12-31"))
        #expect(periods(.calendarYear, "2024-01-01")?.1 == span("2023-01-01", "2023-12-31"))
        #expect(periods(.calendarYear, "1999-12-31")?.0 == span("1999-01-01", "1999-12-31"))
    }

    /// The spec's example: each period from the anchor, never chained from the previous end.
    @Test func monthEndAnchors() throws {
        let monthly = PeriodRule.anchored(anchor: .hireDate, months: 1, endsOn: nil)
        let first = try #require(periods(monthly, "2024-02-28", anchor: "2024-01-31"))
        #expect(first.0 == span("2024-01-31", "2024-02-28") && first.1 == nil)
        let second = try #require(periods(monthly, "2024-02-29", anchor: "2024-01-31"))
        #expect(second.0 == span("2024-02-29", "2024-03-30") && second.1 == span("2024-01-31", "2024-02-28"))
        #expect(periods(monthly, "2024-04-01", anchor: "2024-01-31")?.0 == span("2024-03-31", "2024-04-29"))
        #expect(periods(monthly, "2024-01-30", anchor: "2024-01-31") == nil)
        #expect(periods(monthly, "2024-01-30") == nil)
        // A fixed rule starting on the 31st clamps the same way.
        let fixed = PeriodRule.fixed(startsOn: day("2023-01-31"), months: 1)
        #expect(periods(fixed, "2023-03-01")?.0 == span("2023-02-28", "2023-03-30"))
    }

    @Test func leapDayAnchors() {
        let yearly = PeriodRule.anchored(anchor: .hireDate, months: 12, endsOn: nil)
        #expect(periods(yearly, "2025-02-27", anchor: "2024-02-29")?.0 == span("2024-02-29", "2025-02-27"))
        #expect(periods(yearly, "2025-02-28", anchor: "2024-02-29")?.0 == span("2025-02-28", "2026-02-27"))
        #expect(periods(yearly, "2028-02-28", anchor: "2024-02-29")?.0 == span("2027-02-28", "2028-02-28"))
        #expect(periods(yearly, "2028-02-29", anchor: "2024-02-29")?.0 == span("2028-02-29", "2029-02-27"))
    }

    /// Florida 11B-27.00212: certified 1997-11-21 → first period ends 2002-06-30, the next runs 2002-07-01…2006-06-30.
    @Test func floridaSnapsToJuneThirty() throws {
        let florida = PeriodRule.anchored(anchor: .licenseIssuedOn, months: 48, endsOn: MonthDay("06-30"))
        #expect(periods(florida, "2002-06-30", anchor: "1997-11-21")?.0 == span("1997-11-21", "2002-06-30"))
        let second = try #require(periods(florida, "2002-07-01", anchor: "1997-11-21"))
        #expect(second.0 == span("2002-07-01", "2006-06-30") && second.1 == span("1997-11-21", "2002-06-30"))
        #expect(periods(florida, "2010-06-30", anchor: "1997-11-21")?.0 == span("2006-07-01", "2010-06-30"))
        // Certified on June 30 / July 1: the 4-year mark falls on 06-29 / 06-30, so both end that June.
        #expect(periods(florida, "2004-01-01", anchor: "2000-06-30")?.0 == span("2000-06-30", "2004-06-30"))
        #expect(periods(florida, "2004-01-01", anchor: "2000-07-01")?.0 == span("2000-07-01", "2004-06-30"))
        #expect(periods(florida, "2004-01-01", anchor: "2000-07-02")?.0 == span("2000-07-02", "2005-06-30"))
    }

    @Test func minnesotaLicencePeriod() {
        let minnesota = PeriodRule.anchored(anchor: .licenseIssuedOn, months: 36, endsOn: MonthDay("06-30"))
        #expect(periods(minnesota, "2026-06-30", anchor: "2023-07-01")?.0 == span("2023-07-01", "2026-06-30"))
        #expect(periods(minnesota, "2026-07-01", anchor: "2023-07-01")?.0 == span("2026-07-01", "2029-06-30"))
        #expect(periods(minnesota, "2025-01-01", anchor: "2023-03-15")?.0 == span("2023-03-15", "2026-06-30"))
    }
}
