#if canImport(Glibc)
import Glibc
#endif
import MusterCore
import MusterTime
import RecordsService

// The compliance engine alone, on one core: an agency of 2,000 people × 100 training records
// × 12 requirements of every kind, judged on one as_of date after another (as the summary
// and the CSV do). Prints evaluations per second (goal ≥ 1,000,000), the cost of indexing a
// person, and of spelling out full reports. Rates are per second of this thread's CPU time
// (the figure per core, whatever else the machine runs), with the wall-clock rate beside them.
// Usage: bench-compliance [seconds]

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 3
let agency = BenchAgency(people: 2_000, recordsPerPerson: 100)
let rulebook = ComplianceRulebook(requirements: agency.requirements, units: agency.units, policyVersions: agency.policyVersions)

/// This thread's CPU time in seconds.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func measure(_ label: String, unit: String, goal: String = "", _ body: () -> Int) {
    let clock = ContinuousClock()
    var work = 0
    let start = clock.now, cpuStart = cpuSeconds()
    repeat { work += body() } while cpuSeconds() - cpuStart < seconds
    let wall = clock.now - start
    let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
    let cpu = cpuSeconds() - cpuStart
    print("\(label) \(Int(Double(work) / cpu)) \(unit)_per_cpu_second\(goal) (wall clock: \(Int(Double(work) / wallSeconds)))")
}

var prepared = agency.histories.map(rulebook.prepare)
measure("prepare_people", unit: "people") {
    prepared = agency.histories.map(rulebook.prepare)
    return prepared.count
}

// Each round judges everyone on a new as_of (a plan per date, as a request would make), over three years.
var asOfIndex = 0
var checksum = 0
measure("engine_evaluations", unit: "evaluations", goal: " (goal >= 1000000)") {
    let asOf = CalendarDate("2024-01-01")!.addingDays((asOfIndex * 37) % 1_100)
    asOfIndex += 1
    let plan = CompliancePlan(rulebook: rulebook, asOf: asOf)
    for person in prepared {
        for index in 0..<plan.requirementCount {
            checksum &+= plan.evaluate(requirementAt: index, for: person).status.hashValue
        }
    }
    return prepared.count * plan.requirementCount
}

measure("full_reports", unit: "people") {
    let plan = CompliancePlan(rulebook: rulebook, asOf: CalendarDate("2025-06-30")!)
    for person in prepared { checksum &+= plan.report(for: person).requirements.count }
    return prepared.count
}

let plan = CompliancePlan(rulebook: rulebook, asOf: CalendarDate("2025-06-30")!)
var statuses: [RequirementStatus: Int] = [:]
for person in prepared {
    for index in 0..<plan.requirementCount { statuses[plan.evaluate(requirementAt: index, for: person).status, default: 0] += 1 }
}
print("statuses_on_2025-06-30 " + RequirementStatus.allCases.map { "\($0.rawValue)=\(statuses[$0, default: 0])" }.joined(separator: " "))
print("checksum \(checksum & 0xFFFF)")
