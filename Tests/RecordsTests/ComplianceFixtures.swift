import MusterCore
import MusterTime
import RecordsService

/// Short spellings for hand-worked compliance examples.
func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
func hours(_ value: Double) -> QuarterHours { QuarterHours(hours: value)! }

/// An id whose order is its number, so tests can reason about tie-breaks.
func numberedID<Tag>(_ number: Int) -> Identifier<Tag> {
    Identifier(string: String(format: "00000000-0000-4000-8000-%012d", number))!
}

func record(_ completedOn: String, _ total: Double, _ categories: [String: Double] = [:], course: String? = nil,
            outcome: TrainingOutcome = .completed, status: TrainingRecordStatus = .approved, id: Int? = nil) -> ComplianceTrainingRecord {
    ComplianceTrainingRecord(
        id: id.map(numberedID) ?? TrainingRecordID(), status: status, outcome: outcome, completedOn: day(completedOn), hours: hours(total),
        categoryHours: categories.sorted { $0.key < $1.key }.map { CategoryHours(code: $0.key, hours: hours($0.value)) }, courseCode: course)
}

func person(hired: String, license: String? = nil, status: PersonStatus = .active, rank: String? = "officer", unit: UnitID? = nil) -> CompliancePerson {
    CompliancePerson(id: PersonID(), status: status, hireDate: day(hired), licenseIssuedOn: license.map(day), rank: rank, unitID: unit)
}

func hoursRequirement(_ period: PeriodRule, total: Double, minimums: [([String], Double)] = [], newHires: NewHireRule = .full,
                      from: String = "2000-01-01", to: String? = nil, appliesTo: AppliesTo = .everyone, dueSoonDays: Int = 60) -> RequirementVersion {
    RequirementVersion(params: .hours(period: period, totalHours: hours(total),
                                      categoryMinimums: minimums.map { CategoryMinimum(categoryCodes: $0.0, hours: hours($0.1)) },
                                      newHires: newHires),
                       appliesTo: appliesTo, effectiveFrom: day(from), effectiveTo: to.map(day), dueSoonDays: dueSoonDays)
}

func version(_ params: RequirementParams, from: String = "2000-01-01", to: String? = nil, appliesTo: AppliesTo = .everyone,
             dueSoonDays: Int = 60) -> RequirementVersion {
    RequirementVersion(params: params, appliesTo: appliesTo, effectiveFrom: day(from), effectiveTo: to.map(day), dueSoonDays: dueSoonDays)
}

let calendarYear = PeriodRule.calendarYear
let requirementID = RequirementID(string: "11111111-1111-4111-8111-111111111111")!

/// Judges one person against requirements through the public engine API.
struct Judge {
    var requirements: [ComplianceRequirement]
    var units: [ComplianceUnit] = []
    var policies: [CompliancePolicyVersion] = []

    init(_ versions: RequirementVersion..., units: [ComplianceUnit] = [], policies: [CompliancePolicyVersion] = []) {
        requirements = [ComplianceRequirement(id: requirementID, code: "req", name: "Requirement", versions: versions)]
        self.units = units
        self.policies = policies
    }

    func report(_ history: PersonHistory, asOf: String) -> PersonComplianceReport {
        let rulebook = ComplianceRulebook(requirements: requirements, units: units, policyVersions: policies)
        return CompliancePlan(rulebook: rulebook, asOf: day(asOf)).report(for: rulebook.prepare(history))
    }

    func line(_ history: PersonHistory, asOf: String) -> RequirementReport {
        report(history, asOf: asOf).requirements[0]
    }

    func line(_ person: CompliancePerson, _ records: [ComplianceTrainingRecord] = [], asOf: String,
              waivers: [ComplianceWaiver] = []) -> RequirementReport {
        line(PersonHistory(person: person, records: records, waivers: waivers), asOf: asOf)
    }
}

func periodWaiver(_ endsOn: String, id: Int = 1) -> ComplianceWaiver {
    ComplianceWaiver(id: numberedID(id), requirementID: requirementID, scope: .period(endsOn: day(endsOn)))
}

func untilWaiver(_ until: String, id: Int = 1) -> ComplianceWaiver {
    ComplianceWaiver(id: numberedID(id), requirementID: requirementID, scope: .until(day(until)))
}

func span(_ start: String, _ end: String) -> CompliancePeriod { CompliancePeriod(startsOn: day(start), endsOn: day(end)) }
