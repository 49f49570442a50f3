import MusterTime

/// A requirement's status for one person on one date (spec: Status).
public enum RequirementStatus: String, Sendable, Codable, CaseIterable {
    case met
    case inProgress = "in_progress"
    case dueSoon = "due_soon"
    case overdue
    case waived
    case notApplicable = "not_applicable"
}

/// A person's overall status: `overdue` if any requirement is, else `due_soon` if any is, else `compliant`.
public enum OverallStatus: String, Sendable, Codable, CaseIterable {
    case compliant
    case dueSoon = "due_soon"
    case overdue
}

/// What made a requirement's status, kept as indices into the prepared person until a
/// report asks for ids (so that judging allocates nothing).
enum Contributors: Sendable, Equatable {
    case none
    /// Every counting record of the range (hours kind).
    case records(Range<Int>)
    /// The qualifying records of the range (completion kind).
    case qualifyingRecords(Range<Int>, passedOnly: Bool)
    case record(Int)
    case certification(Int)
}

/// The engine's answer for one requirement: the spec's numbers, with the contributing
/// records and category progress left as indices for ``CompliancePlan/report(_:requirementAt:person:)``.
public struct RequirementEvaluation: Sendable, Equatable {
    public var status: RequirementStatus
    public var dueOn: CalendarDate?
    /// Period kinds: C, or P when overdue.
    public var period: CompliancePeriod?
    public var requiredHours: QuarterHours?
    public var completedHours: QuarterHours?
    public var lastCompletedOn: CalendarDate?
    public var expiresOn: CalendarDate?
    /// The waiver behind a `waived` status.
    public var waiver: ComplianceWaiver?
    /// The version that judged `period` (or `as_of`), -1 when none.
    var versionIndex: Int
    var contributors: Contributors
    /// Hours kind: the total was prorated for a new hire, so each minimum is capped at it.
    var prorated = false

    /// `max(0, required − completed)` for the hours kind.
    public var remainingHours: QuarterHours? {
        guard let requiredHours, let completedHours else { return nil }
        return max(.zero, requiredHours - completedHours)
    }

    static let notApplicable = RequirementEvaluation(status: .notApplicable, versionIndex: -1, contributors: .none)

    init(status: RequirementStatus, dueOn: CalendarDate? = nil, period: CompliancePeriod? = nil, requiredHours: QuarterHours? = nil,
         completedHours: QuarterHours? = nil, lastCompletedOn: CalendarDate? = nil, expiresOn: CalendarDate? = nil,
         waiver: ComplianceWaiver? = nil, versionIndex: Int, contributors: Contributors) {
        self.status = status
        self.dueOn = dueOn
        self.period = period
        self.requiredHours = requiredHours
        self.completedHours = completedHours
        self.lastCompletedOn = lastCompletedOn
        self.expiresOn = expiresOn
        self.waiver = waiver
        self.versionIndex = versionIndex
        self.contributors = contributors
    }
}
