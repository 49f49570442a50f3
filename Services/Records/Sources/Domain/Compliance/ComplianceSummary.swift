import MusterTime

/// One requirement's statuses over the people counted.
public struct RequirementCounts: Sendable, Equatable, Encodable {
    public var requirementID: RequirementID
    public var code: String
    public var met = 0, inProgress = 0, dueSoon = 0, overdue = 0, waived = 0, notApplicable = 0

    mutating func add(_ status: RequirementStatus) {
        switch status {
        case .met: met += 1
        case .inProgress: inProgress += 1
        case .dueSoon: dueSoon += 1
        case .overdue: overdue += 1
        case .waived: waived += 1
        case .notApplicable: notApplicable += 1
        }
    }
}

/// The people of one unit and every unit below it, by overall status.
public struct UnitCounts: Sendable, Equatable, Encodable {
    public var unitID: UnitID
    public var personnel = 0, compliant = 0, dueSoon = 0, overdue = 0

    mutating func add(_ status: OverallStatus) {
        personnel += 1
        switch status {
        case .compliant: compliant += 1
        case .dueSoon: dueSoon += 1
        case .overdue: overdue += 1
        }
    }
}

/// The spec's Summary: people who are not `separated`, by overall status, by requirement
/// and by unit (each unit's row counts the people of that unit and of every unit below it,
/// so rows of nested units overlap).
///
/// ```swift
/// let summary = ComplianceSummary(plan: plan, people: people, units: units, rows: [patrol, night])
/// summary.overdue                    // people overdue on anything
/// summary.byUnit[0].personnel        // patrol and night together
/// ```
public struct ComplianceSummary: Sendable, Equatable, Encodable {
    public var asOf: CalendarDate
    public var personnel = 0, compliant = 0, dueSoon = 0, overdue = 0
    public var byRequirement: [RequirementCounts]
    public var byUnit: [UnitCounts]

    /// Counts `people` (separated ones are skipped); `rows` are the units given a `by_unit` row, in that order.
    public init(plan: CompliancePlan, people: [PreparedPerson], units: [ComplianceUnit], rows: [UnitID]) {
        asOf = plan.asOf
        byRequirement = plan.rulebook.requirements.map { RequirementCounts(requirementID: $0.id, code: $0.code) }
        byUnit = rows.map { UnitCounts(unitID: $0) }
        let row = Dictionary(rows.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let parents = Dictionary(units.map { ($0.id, $0.parentID) }, uniquingKeysWith: { first, _ in first })
        for person in people where person.person.status != .separated {
            var overall = OverallStatus.compliant
            for index in 0..<plan.requirementCount {
                let status = plan.evaluate(requirementAt: index, for: person).status
                byRequirement[index].add(status)
                if status == .overdue { overall = .overdue } else if status == .dueSoon, overall != .overdue { overall = .dueSoon }
            }
            personnel += 1
            switch overall {
            case .compliant: compliant += 1
            case .dueSoon: dueSoon += 1
            case .overdue: overdue += 1
            }
            // The person's unit and every unit above it (bounded: a cycle cannot loop forever).
            var cursor = person.person.unitID
            var steps = 0
            while let unit = cursor, steps <= units.count {
                if let index = row[unit] { byUnit[index].add(overall) }
                cursor = parents[unit] ?? nil
                steps += 1
            }
        }
    }
}
