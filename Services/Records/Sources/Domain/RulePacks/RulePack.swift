import MusterCore
import MusterTime

/// A state's training requirements shipped as data (`Sources/RulePacks/<code>.json`):
/// categories, requirements with their source and the date they were last checked, and
/// worked examples with the result the engine must give. Every pack is an example to verify
/// with the regulator before an agency relies on it.
///
/// ```swift
/// let packs = try RulePackLibrary.bundled()
/// let utah = packs.first { $0.code == "utah" }!
/// utah.requirements[0].params    // .hours(period: .fixed(2000-07-01, 12), totalHours: 40, …)
/// ```
public struct RulePack: Sendable {
    public var code: String
    public var name: String
    public var jurisdiction: String
    /// The caveat shown with the pack ("examples to verify with the regulator").
    public var label: String
    public var lastChecked: CalendarDate
    public var categories: [RulePackCategory]
    public var requirements: [RulePackRequirement]
    public var examples: [RulePackExample]
}

/// A category the pack's requirements name (created in the agency when the pack is applied).
public struct RulePackCategory: Sendable, Equatable {
    public var code: String
    public var name: String
}

/// Where a rule comes from.
public struct RulePackSource: Sendable, Equatable {
    public var citation: String
    public var url: String
}

/// One requirement of a pack, its parameters already parsed and validated.
public struct RulePackRequirement: Sendable {
    public var code: String
    public var name: String
    public var kind: RequirementKind
    public var params: RequirementParams
    /// The parameters as the pack writes them, to store when the pack is applied.
    public var paramsJSON: JSONValue
    public var dueSoonDays: Int
    public var mandatory: Bool
    /// When the rule took effect, when the pack knows it.
    public var effectiveFrom: CalendarDate?
    public var source: RulePackSource
    public var lastChecked: CalendarDate
    public var notes: String
}

/// A documented case: a person, their records, an `as_of`, and what the engine must answer.
public struct RulePackExample: Sendable {
    public var description: String
    public var requirementCode: String
    public var hireDate: CalendarDate
    public var licenseIssuedOn: CalendarDate?
    public var records: [ComplianceTrainingRecord]
    public var asOf: CalendarDate
    public var expected: Expected

    /// The fields the example states (the others are not checked).
    public struct Expected: Sendable {
        public var status: RequirementStatus
        public var dueOn: CalendarDate??
        public var period: CompliancePeriod??
        public var requiredHours: QuarterHours??
        public var completedHours: QuarterHours??
        public var remainingHours: QuarterHours??
    }
}
