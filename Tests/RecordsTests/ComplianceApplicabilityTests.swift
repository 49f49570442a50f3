import MusterCore
import MusterTime
import RecordsService
import Testing

/// Who is subject: status, hire date, rank, units and their descendants, effective dates.
@Suite struct ComplianceApplicabilityTests {
    let root = UnitID(), patrol = UnitID(), squad = UnitID(), admin = UnitID()
    var units: [ComplianceUnit] {
        [ComplianceUnit(id: root, parentID: nil), ComplianceUnit(id: patrol, parentID: root),
         ComplianceUnit(id: squad, parentID: patrol), ComplianceUnit(id: admin, parentID: root)]
    }

    @Test func separatedAndBeforeHireAreNotApplicableLeaveIsJudged() {
        let judge = Judge(hoursRequirement(calendarYear, total: 20))
        #expect(judge.line(person(hired: "2010-01-01", status: .separated), asOf: "2025-06-01").status == .notApplicable)
        #expect(judge.line(person(hired: "2010-01-01", status: .separated), asOf: "2012-06-01").status == .notApplicable)
        #expect(judge.line(person(hired: "2010-01-01", status: .leave), asOf: "2025-06-01").status == .overdue)
        #expect(judge.line(person(hired: "2026-01-01"), asOf: "2025-12-31").status == .notApplicable)
    }

    @Test func ranks() {
        let judge = Judge(hoursRequirement(calendarYear, total: 20, appliesTo: AppliesTo(ranks: ["officer", "sergeant"])))
        #expect(judge.line(person(hired: "2025-01-01", rank: "sergeant"), asOf: "2025-06-01").status == .inProgress)
        #expect(judge.line(person(hired: "2025-01-01", rank: "lieutenant"), asOf: "2025-06-01").status == .notApplicable)
        #expect(judge.line(person(hired: "2025-01-01", rank: nil), asOf: "2025-06-01").status == .notApplicable)
    }

    @Test func unitsCoverTheirDescendants() {
        let judge = Judge(hoursRequirement(calendarYear, total: 20, appliesTo: AppliesTo(unitIDs: [patrol])), units: units)
        #expect(judge.line(person(hired: "2025-01-01", unit: squad), asOf: "2025-06-01").status == .inProgress)
        #expect(judge.line(person(hired: "2025-01-01", unit: patrol), asOf: "2025-06-01").status == .inProgress)
        #expect(judge.line(person(hired: "2025-01-01", unit: root), asOf: "2025-06-01").status == .notApplicable)
        #expect(judge.line(person(hired: "2025-01-01", unit: admin), asOf: "2025-06-01").status == .notApplicable)
        #expect(judge.line(person(hired: "2025-01-01", unit: nil), asOf: "2025-06-01").status == .notApplicable)
        #expect(judge.line(person(hired: "2025-01-01", unit: UnitID()), asOf: "2025-06-01").status == .notApplicable)
        let everywhere = Judge(hoursRequirement(calendarYear, total: 20, appliesTo: AppliesTo(unitIDs: [root])), units: units)
        #expect(everywhere.line(person(hired: "2025-01-01", unit: admin), asOf: "2025-06-01").status == .inProgress)
    }

    @Test func effectiveDatesAreInclusive() {
        let judge = Judge(version(.recurring(everyMonths: 12, training: QualifyingTraining(categoryCodes: ["firearms"]), initialDays: 500),
                                  from: "2025-01-01", to: "2025-12-31"))
        let officer = person(hired: "2010-01-01")
        #expect(judge.line(officer, asOf: "2024-12-31").status == .notApplicable)
        #expect(judge.line(officer, asOf: "2025-01-01").status == .inProgress)
        #expect(judge.line(officer, asOf: "2025-12-31").status == .inProgress)
        #expect(judge.line(officer, asOf: "2026-01-01").status == .notApplicable)
    }

    @Test func overallStatus() {
        let firearms = QualifyingTraining(categoryCodes: ["firearms"])
        let requirements = [
            ComplianceRequirement(id: RequirementID(), code: "a", name: "A", versions: [hoursRequirement(calendarYear, total: 20)]),
            ComplianceRequirement(id: RequirementID(), code: "b", name: "B",
                                  versions: [version(.recurring(everyMonths: 12, training: firearms, initialDays: 0))]),
        ]
        let rulebook = ComplianceRulebook(requirements: requirements)
        func overall(_ history: PersonHistory, _ asOf: String) -> OverallStatus {
            let plan = CompliancePlan(rulebook: rulebook, asOf: day(asOf))
            let prepared = rulebook.prepare(history)
            #expect(plan.report(for: prepared).status == plan.overallStatus(of: prepared))
            return plan.overallStatus(of: prepared)
        }
        let officer = person(hired: "2010-01-01")
        let qualified = record("2025-01-15", 20, ["firearms": 2], outcome: .passed)
        #expect(overall(PersonHistory(person: officer, records: [record("2024-01-15", 20), qualified]), "2025-06-01") == .compliant)
        #expect(overall(PersonHistory(person: officer, records: [record("2024-01-15", 20), qualified]), "2025-12-01") == .dueSoon)
        #expect(overall(PersonHistory(person: officer, records: [qualified]), "2025-06-01") == .overdue)
        #expect(overall(PersonHistory(person: person(hired: "2010-01-01", status: .separated)), "2025-06-01") == .compliant)
    }
}
