import MusterTime
import RecordsService
import Testing

/// `new_hires` for the period containing the hire date, and anchored periods.
@Suite struct ComplianceNewHireTests {
    let utahYear = PeriodRule.fixed(startsOn: day("2000-07-01"), months: 12)

    /// Utah R728-410-4: 3.5 h for each month employed, capped at the 40-hour total.
    @Test func utahProratesByCalendarMonthsOverlapped() {
        let utah = Judge(hoursRequirement(utahYear, total: 40, newHires: .prorate(perMonth: hours(3.5))))
        let january = utah.line(person(hired: "2025-01-15"), asOf: "2025-03-01")
        #expect(january.requiredHours == hours(21) && january.period == span("2024-07-01", "2025-06-30")) // Jan…Jun: 6 months
        #expect(utah.line(person(hired: "2024-07-20"), asOf: "2025-03-01").requiredHours == hours(40)) // 12 × 3.5 = 42, capped
        #expect(utah.line(person(hired: "2025-06-30"), asOf: "2025-06-30").requiredHours == hours(3.5))
        #expect(utah.line(person(hired: "2024-07-01"), asOf: "2025-03-01").requiredHours == hours(40)) // hired on the first day: full
        // Met with 21 h; the next year is the full 40.
        let officer = person(hired: "2025-01-15")
        #expect(utah.line(officer, [record("2025-06-01", 21)], asOf: "2025-06-01").status == .met)
        let next = utah.line(officer, [record("2025-06-01", 21)], asOf: "2025-07-01")
        #expect(next.status == .inProgress && next.requiredHours == hours(40))
        #expect(utah.line(officer, [record("2025-06-01", 20.75)], asOf: "2025-07-01").status == .overdue)
    }

    @Test func prorationCapsEachCategoryMinimum() {
        let judge = Judge(hoursRequirement(utahYear, total: 40, minimums: [(["firearms"], 8)], newHires: .prorate(perMonth: hours(3.5))))
        let line = judge.line(person(hired: "2025-06-10"), [record("2025-06-20", 3.5, ["firearms": 3.5])], asOf: "2025-06-25")
        #expect(line.status == .met && line.requiredHours == hours(3.5))
        #expect(line.categoryProgress == [CategoryProgress(categoryCodes: ["firearms"], requiredHours: hours(3.5), completedHours: hours(3.5))])
    }

    /// Washington WAC 139-05-300: the requirement begins January 1 after certification.
    @Test func washingtonExemptsTheHireYear() {
        let washington = Judge(hoursRequirement(calendarYear, total: 24, newHires: .exempt))
        let officer = person(hired: "2025-03-10")
        #expect(washington.line(officer, asOf: "2025-06-01").status == .notApplicable)
        let next = washington.line(officer, asOf: "2026-02-01")
        #expect(next.status == .inProgress && next.period == span("2026-01-01", "2026-12-31"))
        // Hired on January 1: the year is theirs.
        #expect(washington.line(person(hired: "2025-01-01"), asOf: "2026-02-01").status == .overdue)
    }

    /// Georgia: basic course completed after April 1 → exempt that year; on or before → the full 20 h.
    @Test func georgiaAprilCutOff() {
        let georgia = Judge(hoursRequirement(calendarYear, total: 20, newHires: .exemptIfHiredAfter(MonthDay("04-01")!)))
        let onFirst = person(hired: "2025-04-01")
        #expect(georgia.line(onFirst, asOf: "2025-06-01").status == .inProgress)
        #expect(georgia.line(onFirst, asOf: "2026-01-10").status == .overdue)
        let onSecond = person(hired: "2025-04-02")
        #expect(georgia.line(onSecond, asOf: "2025-06-01").status == .notApplicable)
        #expect(georgia.line(onSecond, asOf: "2026-01-10").status == .inProgress)
    }

    /// Florida 11B-27.00212 through the engine: 40 h by June 30 of the fourth year after certification.
    @Test func floridaAnchoredOnCertification() {
        let florida = Judge(hoursRequirement(.anchored(anchor: .licenseIssuedOn, months: 48, endsOn: MonthDay("06-30")), total: 40))
        let officer = person(hired: "1997-11-21", license: "1997-11-21")
        let records = [record("1999-05-01", 30)]
        let due = florida.line(officer, records, asOf: "2002-06-30")
        #expect(due.status == .dueSoon && due.dueOn == day("2002-06-30") && due.period == span("1997-11-21", "2002-06-30"))
        let late = florida.line(officer, records, asOf: "2002-07-01")
        #expect(late.status == .overdue && late.dueOn == day("2002-06-30") && late.remainingHours == hours(10))
        #expect(florida.line(person(hired: "1997-11-21"), asOf: "2002-07-01").status == .notApplicable) // no licence date
        #expect(florida.line(person(hired: "1990-01-01", license: "1997-11-21"), asOf: "1997-11-20").status == .notApplicable)
    }

    @Test func hireAnchoredMonthlyPeriods() {
        let monthly = Judge(hoursRequirement(.anchored(anchor: .hireDate, months: 1, endsOn: nil), total: 2))
        let officer = person(hired: "2024-01-31")
        let records = [record("2024-02-28", 2), record("2024-03-30", 1), record("2024-03-31", 2)]
        #expect(monthly.line(officer, records, asOf: "2024-02-28").status == .met)
        let second = monthly.line(officer, records, asOf: "2024-03-30")
        #expect(second.status == .dueSoon && second.period == span("2024-02-29", "2024-03-30") && second.completedHours == hours(1))
        let third = monthly.line(officer, records, asOf: "2024-04-01")
        #expect(third.status == .overdue && third.period == span("2024-02-29", "2024-03-30"))
    }
}
