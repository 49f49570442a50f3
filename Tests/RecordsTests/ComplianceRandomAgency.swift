import MusterCore
import MusterTime
import RecordsService

/// A random agency for the property tests: a unit tree, requirements of every kind with
/// one to three versions, people with histories of records, certifications and acknowledgements.
struct RandomAgency {
    static let categories = ["cat_a", "cat_b", "cat_c", "cat_d"]
    static let courses = ["C-1", "C-2", "C-3"]
    static let ranks = ["officer", "sergeant", "lieutenant"]

    var units: [ComplianceUnit] = []
    var requirements: [ComplianceRequirement] = []
    var policies: [CompliancePolicyVersion] = []
    var people: [PersonHistory] = []
    let certificationTypes = [CertificationTypeID(), CertificationTypeID()]
    let policyIDs = [PolicyID(), PolicyID()]

    init(_ random: inout SplitMix64) {
        for index in 0..<random.int(1...6) {
            units.append(ComplianceUnit(id: UnitID(), parentID: index == 0 ? nil : random.pick(units).id))
        }
        for policy in policyIDs {
            for version in 0..<random.int(0...3) {
                policies.append(CompliancePolicyVersion(policyID: policy, version: version + 1, publishedOn: random.date(from: "2000-01-01", to: "2030-01-01")))
            }
        }
        for index in 0..<random.int(1...5) {
            requirements.append(ComplianceRequirement(id: RequirementID(), code: "r\(index)", name: "R\(index)", versions: versions(&random)))
        }
        for _ in 0..<random.int(1...6) { people.append(history(&random)) }
    }

    private func versions(_ random: inout SplitMix64) -> [RequirementVersion] {
        let kind = random.pick(RequirementKind.allCases)
        var versions: [RequirementVersion] = []
        var from = random.awkwardDate(from: "1990-01-01", to: "2022-01-01")
        for index in 0..<random.int(1...3) {
            let last = index == 2 || random.chance(0.4)
            let to: CalendarDate? = last ? (random.chance(0.85) ? nil : from.addingDays(random.int(0...3000))) : from.addingDays(random.int(0...2500))
            versions.append(RequirementVersion(
                params: params(kind, &random), appliesTo: appliesTo(&random), effectiveFrom: from, effectiveTo: to,
                dueSoonDays: random.pick([0, 14, 30, 60, 90, 400]), mandatory: true))
            guard let to, !last else { break }
            // The next version starts the day after, or after a gap nobody is subject to.
            from = to.addingDays(random.chance(0.8) ? 1 : random.int(2...400))
        }
        return versions
    }

    private func appliesTo(_ random: inout SplitMix64) -> AppliesTo {
        AppliesTo(ranks: random.chance(0.15) ? Array(Self.ranks.prefix(random.int(1...2))) : nil,
                  unitIDs: random.chance(0.15) ? [random.pick(units).id] : nil)
    }

    private func period(_ random: inout SplitMix64) -> PeriodRule {
        let months = random.pick([1, 2, 3, 6, 12, 18, 24, 36, 48])
        switch random.int(0...3) {
        case 0: return .fixed(startsOn: random.awkwardDate(from: "1990-01-01", to: "2030-01-01"), months: months)
        case 1: return .calendarYear
        default:
            let endsOn = random.chance(0.5) ? random.pick([MonthDay("06-30")!, MonthDay("12-31")!, MonthDay("02-28")!, MonthDay("01-31")!]) : nil
            return .anchored(anchor: random.chance(0.5) ? .hireDate : .licenseIssuedOn, months: months, endsOn: endsOn)
        }
    }

    private func newHires(_ random: inout SplitMix64, hours: Bool) -> NewHireRule {
        switch random.int(0...(hours ? 3 : 2)) {
        case 0: .full
        case 1: .exempt
        case 2: .exemptIfHiredAfter(random.pick([MonthDay("04-01")!, MonthDay("07-31")!, MonthDay("01-01")!, MonthDay("12-31")!]))
        default: .prorate(perMonth: random.quarters(1...20))
        }
    }

    private func training(_ random: inout SplitMix64) -> QualifyingTraining {
        let courses = random.chance(0.5) ? [random.pick(Self.courses)] : []
        let categories = courses.isEmpty || random.chance(0.5) ? Array(Set((0..<random.int(1...2)).map { _ in random.pick(Self.categories) })).sorted() : []
        return QualifyingTraining(courseCodes: courses, categoryCodes: categories)
    }

    private func params(_ kind: RequirementKind, _ random: inout SplitMix64) -> RequirementParams {
        switch kind {
        case .hours:
            let total = random.quarters(4...160)
            let minimums = (0..<random.int(0...3)).map { _ in
                CategoryMinimum(categoryCodes: Array(Set((0..<random.int(1...3)).map { _ in random.pick(Self.categories) })).sorted(),
                                hours: QuarterHours(quarters: Int64(random.int(1...Int(total.quarters)))))
            }
            return .hours(period: period(&random), totalHours: total, categoryMinimums: minimums, newHires: newHires(&random, hours: true))
        case .completion:
            return .completion(period: period(&random), training: training(&random), passedOnly: random.chance(0.5),
                               newHires: newHires(&random, hours: false))
        case .recurring:
            return .recurring(everyMonths: random.pick([1, 6, 12, 24, 36]), training: training(&random), initialDays: random.pick([0, 30, 90, 365]))
        case .certification:
            return .certification(typeID: random.pick(certificationTypes), initialDays: random.pick([0, 30, 365]))
        case .policy:
            return .policy(policyID: random.pick(policyIDs), withinDays: random.pick([0, 14, 30]))
        }
    }

    private func history(_ random: inout SplitMix64) -> PersonHistory {
        let hired = random.awkwardDate(from: "1995-01-01", to: "2026-12-31")
        let person = CompliancePerson(
            id: PersonID(), status: random.chance(0.05) ? .separated : random.chance(0.1) ? .leave : .active, hireDate: hired,
            licenseIssuedOn: random.chance(0.8) ? hired.addingDays(random.int(-400...400)) : nil,
            rank: random.chance(0.9) ? random.pick(Self.ranks) : nil, unitID: random.chance(0.9) ? random.pick(units).id : nil)
        let records = (0..<random.int(0...60)).map { _ in
            let total = random.quarters(1...40)
            var remaining = total.quarters
            var categories: [CategoryHours] = []
            for code in Self.categories where remaining > 0 && random.chance(0.35) {
                let share = Int64(random.int(0...Int(remaining)))
                categories.append(CategoryHours(code: code, hours: QuarterHours(quarters: share)))
                remaining -= share
            }
            return ComplianceTrainingRecord(
                id: TrainingRecordID(), status: random.chance(0.85) ? .approved : random.pick(TrainingRecordStatus.allCases),
                outcome: random.pick(TrainingOutcome.allCases), completedOn: random.awkwardDate(from: "2004-01-01", to: "2029-06-30"), hours: total,
                categoryHours: categories, courseCode: random.chance(0.4) ? random.pick(Self.courses) : nil)
        }
        let certifications = (0..<random.int(0...4)).map { _ in
            let issued = random.awkwardDate(from: "1995-01-01", to: "2030-01-01")
            return ComplianceCertification(id: CertificationID(), typeID: random.pick(certificationTypes), issuedOn: issued,
                                           expiresOn: random.chance(0.2) ? nil : issued.addingDays(random.int(0...1500)), voided: random.chance(0.1))
        }
        let acknowledgements = policies.filter { _ in random.chance(0.5) }.map {
            PolicyAcknowledgement(policyID: $0.policyID, version: $0.version, acknowledgedOn: $0.publishedOn.addingDays(random.int(-5...60)))
        }
        return PersonHistory(person: person, records: records, certifications: certifications, acknowledgements: acknowledgements)
    }

    /// Random waivers: of the oracle's C or P for period kinds (sometimes of a day that ends no period), `until` for the others.
    func waivers(for person: CompliancePerson, asOf: CalendarDate, oracle: ComplianceOracle, _ random: inout SplitMix64) -> [ComplianceWaiver] {
        var waivers: [ComplianceWaiver] = []
        for requirement in requirements where random.chance(0.3) {
            let current = oracle.versionInForce(requirement, on: asOf) ?? requirement.versions[0]
            if let rule = current.params.period {
                guard let (period, previous) = oracle.periods(rule, asOf: asOf, person: person) else { continue }
                let ends = [period.endsOn, previous?.endsOn, period.endsOn.addingDays(-1)].compactMap { $0 }
                for _ in 0..<random.int(1...2) {
                    waivers.append(ComplianceWaiver(id: WaiverID(), requirementID: requirement.id, scope: .period(endsOn: random.pick(ends))))
                }
            } else {
                waivers.append(ComplianceWaiver(id: WaiverID(), requirementID: requirement.id,
                                                scope: .until(asOf.addingDays(random.int(-30...30)))))
            }
        }
        return waivers
    }
}
