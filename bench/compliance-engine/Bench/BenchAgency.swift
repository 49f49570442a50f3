import MusterCore
import MusterTime
import RecordsService

/// A realistic agency for the engine bench, the same on every run (seeded): a unit tree,
/// twelve requirements shaped like the shipped state packs, people hired over thirty years
/// with licences, ranks, units, 100 training records each over six years, certifications,
/// policy acknowledgements and a few waivers.
struct BenchAgency {
    static let categories = ["firearms", "use_of_force", "de_escalation", "driving", "arrest_control", "communications", "first_aid",
                             "crisis", "autism", "bias", "legal", "wellness"]
    static let courses = (1...20).map { "C-\($0)" }

    var units: [ComplianceUnit] = []
    var requirements: [ComplianceRequirement] = []
    var policyVersions: [CompliancePolicyVersion] = []
    var histories: [PersonHistory] = []

    init(people: Int, recordsPerPerson: Int) {
        var random = SplitMix64(seed: 2026)
        for index in 0..<20 { units.append(ComplianceUnit(id: UnitID(), parentID: index == 0 ? nil : units[(index - 1) / 3].id)) }
        let policy = PolicyID(), certification = CertificationTypeID()
        policyVersions = (1...4).map { CompliancePolicyVersion(policyID: policy, version: $0, publishedOn: CalendarDate("2022-01-15")!.addingDays($0 * 200)) }
        requirements = Self.requirements(policy: policy, certification: certification, patrol: units[1].id)
        let start = CalendarDate("2019-07-01")!
        for _ in 0..<people {
            let hired = CalendarDate("1995-01-01")!.addingDays(Int.random(in: 0...11_000, using: &random))
            let person = CompliancePerson(
                id: PersonID(), status: Int.random(in: 0..<20, using: &random) == 0 ? .leave : .active, hireDate: hired,
                licenseIssuedOn: hired.addingDays(Int.random(in: -200...30, using: &random)),
                rank: ["officer", "officer", "officer", "sergeant", "lieutenant"].randomElement(using: &random),
                unitID: units.randomElement(using: &random)!.id)
            let records = (0..<recordsPerPerson).map { _ in
                let hours = Int64.random(in: 2...32, using: &random)
                let categories = (0..<Int.random(in: 0...2, using: &random)).map { _ in
                    CategoryHours(code: Self.categories.randomElement(using: &random)!, hours: QuarterHours(quarters: hours / 2))
                }
                return ComplianceTrainingRecord(
                    id: TrainingRecordID(), status: Int.random(in: 0..<25, using: &random) == 0 ? .pending : .approved,
                    outcome: [.completed, .completed, .passed, .failed].randomElement(using: &random)!,
                    completedOn: start.addingDays(Int.random(in: 0...2_400, using: &random)), hours: QuarterHours(quarters: hours),
                    categoryHours: Dictionary(categories.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }).values.sorted { $0.code < $1.code },
                    courseCode: Int.random(in: 0..<3, using: &random) == 0 ? Self.courses.randomElement(using: &random) : nil)
            }
            let certifications = (0..<5).map { index in
                let issued = start.addingDays(index * 500 + Int.random(in: 0...100, using: &random))
                return ComplianceCertification(id: CertificationID(), typeID: index < 3 ? certification : CertificationTypeID(), issuedOn: issued,
                                               expiresOn: issued.addingMonths(24))
            }
            let acknowledgements = policyVersions.filter { _ in Bool.random(using: &random) }.map {
                PolicyAcknowledgement(policyID: $0.policyID, version: $0.version, acknowledgedOn: $0.publishedOn.addingDays(Int.random(in: 0...30, using: &random)))
            }
            let waivers = Int.random(in: 0..<10, using: &random) == 0
                ? [ComplianceWaiver(id: WaiverID(), requirementID: requirements[0].id, scope: .period(endsOn: CalendarDate("2025-06-30")!))] : []
            histories.append(PersonHistory(person: person, records: records, certifications: certifications, acknowledgements: acknowledgements,
                                           waivers: waivers))
        }
    }

    static func requirements(policy: PolicyID, certification: CertificationTypeID, patrol: UnitID) -> [ComplianceRequirement] {
        func hours(_ value: Double) -> QuarterHours { QuarterHours(hours: value)! }
        func minimum(_ codes: [String], _ value: Double) -> CategoryMinimum { CategoryMinimum(categoryCodes: codes, hours: hours(value)) }
        let from = CalendarDate("2000-01-01")!
        let twoYears = PeriodRule.fixed(startsOn: CalendarDate("2025-01-01")!, months: 24)
        let snapped = PeriodRule.anchored(anchor: .licenseIssuedOn, months: 48, endsOn: MonthDay("06-30"))
        let params: [(String, RequirementParams, AppliesTo)] = [
            ("ut_annual", .hours(period: .fixed(startsOn: CalendarDate("2000-07-01")!, months: 12), totalHours: hours(40), categoryMinimums: [],
                                 newHires: .prorate(perMonth: hours(3.5))), .everyone),
            ("ca_cpt", .hours(period: twoYears, totalHours: hours(24), categoryMinimums: [], newHires: .full), .everyone),
            ("ca_psp", .hours(period: twoYears, totalHours: hours(18), categoryMinimums: [
                minimum(["firearms"], 4), minimum(["driving"], 4), minimum(["arrest_control"], 4), minimum(["communications"], 2),
                minimum(["use_of_force"], 4)], newHires: .full), AppliesTo(ranks: ["officer", "sergeant"], unitIDs: [patrol])),
            ("fl_retraining", .hours(period: snapped, totalHours: hours(40), categoryMinimums: [], newHires: .full), .everyone),
            ("mn_renewal", .hours(period: .anchored(anchor: .licenseIssuedOn, months: 36, endsOn: MonthDay("06-30")), totalHours: hours(48),
                                  categoryMinimums: [minimum(["crisis"], 6), minimum(["autism"], 4), minimum(["bias"], 1),
                                                     minimum(["crisis", "autism", "bias"], 16)], newHires: .full), .everyone),
            ("wa_in_service", .hours(period: .calendarYear, totalHours: hours(24), categoryMinimums: [minimum(["crisis"], 2)], newHires: .exempt), .everyone),
            ("ga_annual", .hours(period: .calendarYear, totalHours: hours(20), categoryMinimums: [
                minimum(["firearms"], 1), minimum(["use_of_force"], 1), minimum(["de_escalation"], 1), minimum(["communications"], 2)],
                                 newHires: .exemptIfHiredAfter(MonthDay("04-01")!)), .everyone),
            ("tx_firearms", .completion(period: .calendarYear, training: QualifyingTraining(categoryCodes: ["firearms"]), passedOnly: true,
                                        newHires: .full), .everyone),
            ("fl_use_of_force", .completion(period: snapped, training: QualifyingTraining(courseCodes: ["C-3", "C-7"], categoryCodes: ["use_of_force"]),
                                            passedOnly: false, newHires: .full), .everyone),
            ("ca_first_aid", .recurring(everyMonths: 24, training: QualifyingTraining(categoryCodes: ["first_aid"]), initialDays: 365), .everyone),
            ("taser", .certification(typeID: certification, initialDays: 90), .everyone),
            ("policy_ack", .policy(policyID: policy, withinDays: 14), .everyone),
        ]
        return params.map { code, params, appliesTo in
            ComplianceRequirement(id: RequirementID(), code: code, name: code, versions: [
                RequirementVersion(params: params, appliesTo: appliesTo, effectiveFrom: from),
            ])
        }
    }
}
