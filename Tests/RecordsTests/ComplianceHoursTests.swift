import MusterTime
import RecordsService
import Testing

/// Kind `hours`: what counts, period boundaries, minimums, P and C, waivers, versions.
@Suite struct ComplianceHoursTests {
    let twenty = Judge(hoursRequirement(calendarYear, total: 20))

    @Test func recordsOnAPeriodsFirstAndLastDayCount() {
        let officer = person(hired: "2010-01-01")
        let records = [record("2024-12-31", 20), record("2025-01-01", 6), record("2025-12-31", 14), record("2026-01-01", 40)]
        let line = twenty.line(officer, records, asOf: "2025-12-31")
        #expect(line.status == .met)
        #expect(line.period == span("2025-01-01", "2025-12-31") && line.dueOn == day("2025-12-31"))
        #expect(line.completedHours == hours(20) && line.requiredHours == hours(20) && line.remainingHours == hours(0))
        #expect(line.contributingRecordIDs == [records[1].id.description, records[2].id.description])
    }

    @Test func onlyApprovedCompletedOrPassedRecordsDatedByAsOfCount() {
        let officer = person(hired: "2025-01-01")
        let records = [
            record("2025-02-01", 5), record("2025-02-02", 5, outcome: .passed), record("2025-02-03", 5, outcome: .failed),
            record("2025-02-04", 5, status: .pending), record("2025-02-05", 5, status: .rejected), record("2025-02-06", 5, status: .voided),
            record("2025-06-02", 5),
        ]
        let line = twenty.line(officer, records, asOf: "2025-06-01")
        #expect(line.status == .inProgress && line.completedHours == hours(10) && line.remainingHours == hours(10))
        // A forecast counts the records that exist now, up to the forecast date.
        #expect(twenty.line(officer, records, asOf: "2025-12-01").completedHours == hours(15))
    }

    @Test func dueSoonWithinTheWindow() {
        let officer = person(hired: "2025-01-01")
        #expect(twenty.line(officer, asOf: "2025-11-01").status == .dueSoon) // 60 days before 12-31
        #expect(twenty.line(officer, asOf: "2025-10-31").status == .inProgress) // 61 days
        let tight = Judge(hoursRequirement(calendarYear, total: 20, dueSoonDays: 10))
        #expect(tight.line(officer, asOf: "2025-12-20").status == .inProgress)
        #expect(tight.line(officer, asOf: "2025-12-21").status == .dueSoon)
    }

    @Test func categoryMinimumsAreSummedOverTheirCodes() {
        let georgia = Judge(hoursRequirement(calendarYear, total: 20, minimums: [(["firearms"], 1), (["de_escalation", "use_of_force"], 3)]))
        let officer = person(hired: "2025-01-01")
        var records = [record("2025-03-01", 18, ["firearms": 2, "de_escalation": 1]), record("2025-04-01", 2, ["use_of_force": 1.75])]
        var line = georgia.line(officer, records, asOf: "2025-06-01")
        #expect(line.status == .inProgress && line.completedHours == hours(20) && line.remainingHours == hours(0))
        #expect(line.categoryProgress == [
            CategoryProgress(categoryCodes: ["firearms"], requiredHours: hours(1), completedHours: hours(2)),
            CategoryProgress(categoryCodes: ["de_escalation", "use_of_force"], requiredHours: hours(3), completedHours: hours(2.75)),
        ])
        records.append(record("2025-05-01", 0.25, ["use_of_force": 0.25]))
        line = georgia.line(officer, records, asOf: "2025-06-01")
        #expect(line.status == .met && line.completedHours == hours(20.25))
    }

    /// P unmet and C met: overdue, reported on P, until P is waived.
    @Test func previousPeriodUnmetIsOverdueEvenWhenTheCurrentIsMet() {
        let officer = person(hired: "2010-01-01")
        let records = [record("2024-05-01", 12), record("2025-02-01", 25)]
        let line = twenty.line(officer, records, asOf: "2025-03-01")
        #expect(line.status == .overdue && line.dueOn == day("2024-12-31") && line.period == span("2024-01-01", "2024-12-31"))
        #expect(line.requiredHours == hours(20) && line.completedHours == hours(12) && line.remainingHours == hours(8))
        #expect(line.contributingRecordIDs == [records[0].id.description])
        // Waiving P: C's own status shows.
        let waived = twenty.line(officer, records, asOf: "2025-03-01", waivers: [periodWaiver("2024-12-31")])
        #expect(waived.status == .met && waived.period == span("2025-01-01", "2025-12-31") && waived.waiver == nil)
        // Only P is looked at: two periods back no longer makes anyone overdue.
        #expect(twenty.line(officer, records, asOf: "2026-03-01").status == .inProgress)
    }

    @Test func waiverOfTheCurrentPeriod() {
        let officer = person(hired: "2025-01-01")
        let waiver = periodWaiver("2025-12-31")
        let line = twenty.line(officer, [record("2025-02-01", 4)], asOf: "2025-12-01", waivers: [waiver, periodWaiver("2026-12-31", id: 2)])
        #expect(line.status == .waived && line.waiver == waiver && line.dueOn == day("2025-12-31"))
        #expect(line.completedHours == hours(4) && line.requiredHours == hours(20))
        // A waived period is met: no overdue next year.
        #expect(twenty.line(officer, asOf: "2026-01-15", waivers: [waiver]).status == .inProgress)
        // A waiver of another period, or an `until` waiver, waives nothing here.
        #expect(twenty.line(officer, asOf: "2025-12-01", waivers: [periodWaiver("2025-12-30"), untilWaiver("2030-01-01")]).status == .dueSoon)
    }

    /// A period is judged by the version in force on its last day.
    @Test func versionsChangingMidPeriod() {
        let judge = Judge(hoursRequirement(calendarYear, total: 20, to: "2025-06-30"),
                          hoursRequirement(calendarYear, total: 24, from: "2025-07-01"))
        let officer = person(hired: "2010-01-01")
        let records = [record("2024-03-01", 20), record("2025-03-01", 22)]
        let early = judge.line(officer, records, asOf: "2025-03-15")
        #expect(early.status == .inProgress && early.requiredHours == hours(24) && early.completedHours == hours(22))
        // 2024 was governed by the 20-hour version: met, so not overdue.
        #expect(judge.line(officer, [record("2024-03-01", 20)], asOf: "2025-01-10").status == .inProgress)
        // 22 h in 2025 falls short of 24: overdue in 2026.
        let late = judge.line(officer, records, asOf: "2026-01-10")
        #expect(late.status == .overdue && late.requiredHours == hours(24) && late.remainingHours == hours(2))
    }

    @Test func aPeriodWithNoVersionOnItsLastDayIsNotJudged() {
        let judge = Judge(hoursRequirement(calendarYear, total: 20, from: "2025-03-01"))
        let officer = person(hired: "2010-01-01")
        // 2024 ended before the requirement existed: nobody owes it.
        #expect(judge.line(officer, asOf: "2025-03-01").status == .inProgress)
        // Ended mid-year: 2026 is not judged, and as_of after the end is outside the requirement.
        let ended = Judge(hoursRequirement(calendarYear, total: 20, from: "2020-01-01", to: "2026-06-30"))
        #expect(ended.line(officer, [record("2025-01-05", 20)], asOf: "2026-03-01").status == .notApplicable)
        #expect(ended.line(officer, asOf: "2026-03-01").status == .overdue)
        #expect(ended.line(officer, asOf: "2026-07-01").status == .notApplicable)
        #expect(judge.line(officer, asOf: "2025-02-28").status == .notApplicable)
    }

    @Test func recordsBeforeTheHireDateCountInTheirPeriod() {
        let officer = person(hired: "2025-05-01")
        let line = twenty.line(officer, [record("2025-02-01", 20)], asOf: "2025-06-01")
        #expect(line.status == .met)
        // Hired in December under "full": the whole year was owed.
        #expect(twenty.line(person(hired: "2025-12-15"), asOf: "2026-01-05").status == .overdue)
        // The year before the hire year is not theirs.
        #expect(twenty.line(person(hired: "2025-01-01"), asOf: "2025-01-05").status == .inProgress)
        #expect(twenty.line(officer, asOf: "2025-04-30").status == .notApplicable)
    }
}
