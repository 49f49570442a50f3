import MusterTime

/// The rulebook resolved for one `as_of` date: for each requirement, whether `as_of` is in
/// its effective range, the version in force, and — for periods that are the same for
/// everyone (fixed, calendar year) — C, P and the versions judging them. Judging a person
/// is then index work over their ``PreparedPerson``; nothing is allocated per requirement.
///
/// ```swift
/// let plan = CompliancePlan(rulebook: rulebook, asOf: CalendarDate("2025-06-30")!)
/// let evaluation = plan.evaluate(requirementAt: 0, for: person)
/// evaluation.status                                  // .dueSoon
/// plan.report(evaluation, requirementAt: 0, person: person).contributingRecordIDs
/// ```
public struct CompliancePlan: Sendable {
    public let rulebook: ComplianceRulebook
    public let asOf: CalendarDate
    let planned: [PlannedRequirement]

    public init(rulebook: ComplianceRulebook, asOf: CalendarDate) {
        self.rulebook = rulebook
        self.asOf = asOf
        planned = rulebook.prepared.map { PlannedRequirement($0, asOf: asOf, policies: rulebook.policies) }
    }

    /// How many requirements the rulebook holds (the valid `requirementAt` indices).
    public var requirementCount: Int { planned.count }

    /// One requirement's status and numbers for one person (spec: Who is subject, Status).
    public func evaluate(requirementAt index: Int, for person: PreparedPerson) -> RequirementEvaluation {
        let requirement = rulebook.prepared[index]
        let plan = planned[index]
        // Spec: separated people are subject to nothing; before the hire date everything is not applicable;
        // a requirement applies only while `as_of` is within its effective dates.
        guard person.person.status != .separated, asOf >= person.person.hireDate, plan.inForce else { return .notApplicable }
        let version = requirement.versions[plan.asOfVersion]
        switch version.kind {
        case .hours, .completion:
            return evaluatePeriods(requirement, plan, person)
        case .recurring, .certification, .policy:
            guard version.applies(to: person) else { return .notApplicable }
            return evaluateDated(requirement, plan, person)
        }
    }

    /// The person's overall status over every requirement, without keeping the evaluations.
    public func overallStatus(of person: PreparedPerson) -> OverallStatus {
        var overall = OverallStatus.compliant
        for index in planned.indices {
            switch evaluate(requirementAt: index, for: person).status {
            case .overdue: return .overdue
            case .dueSoon: overall = .dueSoon
            default: break
            }
        }
        return overall
    }

    /// The waiver of `requirement` matching `scope`'s date, the smallest id first when several match.
    @inline(__always)
    func waiver(of requirement: RequirementID, in person: PreparedPerson, matches: (WaiverScope) -> Bool) -> ComplianceWaiver? {
        var found: ComplianceWaiver?
        for waiver in person.waivers where waiver.requirementID == requirement && matches(waiver.scope) {
            if found.map({ waiver.id < $0.id }) ?? true { found = waiver }
        }
        return found
    }
}

/// One requirement resolved for the plan's `as_of`.
struct PlannedRequirement: Sendable {
    /// `as_of` is within the requirement's effective dates and a version is in force on it.
    let inForce: Bool
    let asOfVersion: Int
    /// C and P when they do not depend on the person (fixed and calendar-year periods).
    let sharedPeriods: CurrentPeriods?
    let currentVersion: Int
    let previousVersion: Int
    /// Policy kind: the version V in force on `as_of`.
    let policyVersion: CompliancePolicyVersion?

    init(_ requirement: PreparedRequirement, asOf: CalendarDate, policies: [PolicyID: [CompliancePolicyVersion]]) {
        asOfVersion = requirement.version(on: asOf)
        inForce = requirement.firstFrom <= asOf && asOf <= requirement.lastTo && asOfVersion >= 0
        var shared: CurrentPeriods?
        var policy: CompliancePolicyVersion?
        if inForce {
            switch requirement.versions[asOfVersion].source.params {
            case .hours(let period, _, _, _), .completion(let period, _, _, _):
                if case .anchored = period {} else { shared = period.periods(containing: asOf, anchorDate: nil) }
            case .policy(let policyID, _):
                // Spec: the latest `published_on` on or before `as_of`; ties, the higher version.
                policy = policies[policyID]?.last { $0.publishedOn <= asOf }
            case .recurring, .certification:
                break
            }
        }
        sharedPeriods = shared
        policyVersion = policy
        currentVersion = shared.map { requirement.version(on: $0.current.endsOn) } ?? -1
        previousVersion = shared?.previous.map { requirement.version(on: $0.endsOn) } ?? -1
    }
}
