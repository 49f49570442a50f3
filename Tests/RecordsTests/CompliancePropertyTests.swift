import MusterCore
import MusterTime
import RecordsService
import Testing

/// The engine against ``ComplianceOracle`` on thousands of random rosters, requirement sets
/// and histories. Seeded: a failure prints its seed, and `seeds` reproduces it.
@Suite struct CompliancePropertyTests {
    static let seeds: [UInt64] = Array(1...8)

    @Test(arguments: seeds)
    func engineAgreesWithTheNaiveReading(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var compared = 0
        var seen: [RequirementStatus: Int] = [:]
        for agencyIndex in 0..<100 {
            let agency = RandomAgency(&random)
            let rulebook = ComplianceRulebook(requirements: agency.requirements, units: agency.units, policyVersions: agency.policies)
            let oracle = ComplianceOracle(units: agency.units, policies: agency.policies)
            for _ in 0..<6 {
                let asOf = random.awkwardDate(from: "2012-01-01", to: "2028-12-31")
                let plan = CompliancePlan(rulebook: rulebook, asOf: asOf)
                for history in agency.people {
                    // Waivers of the periods in play, so that both of P and C get waived sometimes.
                    var history = history
                    history.waivers = agency.waivers(for: history.person, asOf: asOf, oracle: oracle, &random)
                    let report = plan.report(for: rulebook.prepare(history))
                    var statuses: [RequirementStatus] = []
                    for (index, requirement) in agency.requirements.enumerated() {
                        let expected = oracle.line(requirement, history, asOf: asOf)
                        let actual = report.requirements[index]
                        statuses.append(expected.status)
                        let got = ComplianceOracle.Line(
                            status: actual.status, dueOn: actual.dueOn, period: actual.period, requiredHours: actual.requiredHours,
                            completedHours: actual.completedHours, remainingHours: actual.remainingHours,
                            categoryProgress: actual.categoryProgress, lastCompletedOn: actual.lastCompletedOn, expiresOn: actual.expiresOn,
                            contributing: actual.contributingRecordIDs, waiverID: actual.waiver?.id)
                        #expect(got == expected, """
                            seed \(seed) agency \(agencyIndex) as_of \(asOf) requirement \(requirement.versions) person \(history.person)
                            expected \(expected)
                            got      \(got)
                            """)
                        compared += 1
                        seen[expected.status, default: 0] += 1
                    }
                    #expect(report.status == ComplianceOracle.overall(statuses), "seed \(seed) as_of \(asOf)")
                    #expect(plan.overallStatus(of: rulebook.prepare(history)) == report.status)
                }
            }
        }
        // The comparison means something only if every status comes up often.
        #expect(compared > 5_000)
        for status in RequirementStatus.allCases { #expect(seen[status, default: 0] >= 25, "seed \(seed): \(status) seen \(seen[status, default: 0]) times") }
        print("seed \(seed): \(compared) evaluations compared, statuses \(seen.sorted { $0.key.rawValue < $1.key.rawValue })")
    }
}

/// Draws for the random agencies.
extension SplitMix64 {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    mutating func date(from: String, to: String) -> CalendarDate {
        CalendarDate(daysSinceEpoch: Int64.random(in: day(from).daysSinceEpoch...day(to).daysSinceEpoch, using: &self))
    }

    /// Dates near month ends and leap days more often than chance would give them.
    mutating func awkwardDate(from: String, to: String) -> CalendarDate {
        let date = self.date(from: from, to: to)
        guard chance(0.4) else { return date }
        let day = pick([28, 29, 30, 31, 1])
        var candidate = CalendarDate(year: date.year, month: date.month, day: day)
        var fallback = day
        while candidate == nil { fallback -= 1; candidate = CalendarDate(year: date.year, month: date.month, day: fallback) }
        return candidate!
    }

    mutating func quarters(_ range: ClosedRange<Int>) -> QuarterHours { QuarterHours(quarters: Int64(int(range))) }
}
