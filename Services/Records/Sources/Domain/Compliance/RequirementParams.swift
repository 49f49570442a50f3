import MusterTime

/// The five kinds of requirement the spec defines.
public enum RequirementKind: String, Sendable, Codable, CaseIterable {
    case hours, completion, recurring, certification, policy

    /// `hours` and `completion` are judged period by period.
    public var isPeriodic: Bool { self == .hours || self == .completion }
}

/// A month and day without a year (`"06-30"`); never February 29, which most years lack.
public struct MonthDay: Hashable, Sendable, CustomStringConvertible {
    public let month: Int
    public let day: Int

    /// nil for a day that is not in every year (`02-29`) or does not exist.
    public init?(month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] else { return nil }
        self.month = month
        self.day = day
    }

    /// Parses exactly `MM-DD`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: "-"),
              let month = Int(text.prefix(2)), let day = Int(text.suffix(2)),
              bytes.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        self.init(month: month, day: day)
    }

    /// This month-day in `year`.
    public func date(inYear year: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: CivilCalendar.days(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    public var description: String { (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)" }
}

/// Which date of the person an anchored period starts from.
public enum PeriodAnchor: String, Sendable, CaseIterable {
    case hireDate = "hire_date"
    case licenseIssuedOn = "license_issued_on"
}

/// How a period kind cuts time into periods (spec: Periods).
///
/// ```swift
/// PeriodRule.fixed(startsOn: CalendarDate("2025-01-01")!, months: 24)                            // California CPT
/// PeriodRule.anchored(anchor: .licenseIssuedOn, months: 48, endsOn: MonthDay(month: 6, day: 30)) // Florida
/// ```
public enum PeriodRule: Hashable, Sendable {
    case fixed(startsOn: CalendarDate, months: Int)
    case calendarYear
    case anchored(anchor: PeriodAnchor, months: Int, endsOn: MonthDay?)
}

/// How the period containing a person's hire date treats them (spec: `new_hires`).
public enum NewHireRule: Hashable, Sendable {
    case full
    case exempt
    case exemptIfHiredAfter(MonthDay)
    case prorate(perMonth: QuarterHours)
}

/// Hours in a set of categories that a period must reach.
public struct CategoryMinimum: Hashable, Sendable {
    public var categoryCodes: [String]
    public var hours: QuarterHours

    public init(categoryCodes: [String], hours: QuarterHours) {
        self.categoryCodes = categoryCodes
        self.hours = hours
    }
}

/// Which records a completion or recurring requirement accepts: a course code in
/// `courseCodes`, or hours in one of `categoryCodes`.
public struct QualifyingTraining: Hashable, Sendable {
    public var courseCodes: [String]
    public var categoryCodes: [String]

    public init(courseCodes: [String] = [], categoryCodes: [String] = []) {
        self.courseCodes = courseCodes
        self.categoryCodes = categoryCodes
    }
}

/// The typed parameters of a requirement version, one case per kind (parse them with
/// ``RequirementParams/parse(kind:json:catalog:)``).
public enum RequirementParams: Hashable, Sendable {
    case hours(period: PeriodRule, totalHours: QuarterHours, categoryMinimums: [CategoryMinimum], newHires: NewHireRule)
    case completion(period: PeriodRule, training: QualifyingTraining, passedOnly: Bool, newHires: NewHireRule)
    case recurring(everyMonths: Int, training: QualifyingTraining, initialDays: Int)
    case certification(typeID: CertificationTypeID, initialDays: Int)
    case policy(policyID: PolicyID, withinDays: Int)

    public var kind: RequirementKind {
        switch self {
        case .hours: .hours
        case .completion: .completion
        case .recurring: .recurring
        case .certification: .certification
        case .policy: .policy
        }
    }

    /// The period rule of a period kind.
    public var period: PeriodRule? {
        switch self {
        case .hours(let period, _, _, _), .completion(let period, _, _, _): period
        default: nil
        }
    }
}

/// Who a requirement version applies to, by current rank and unit (`nil`: everyone).
/// A unit in `unitIDs` covers every unit below it.
public struct AppliesTo: Hashable, Sendable {
    public var ranks: [String]?
    public var unitIDs: [UnitID]?

    public static let everyone = AppliesTo(ranks: nil, unitIDs: nil)

    public init(ranks: [String]? = nil, unitIDs: [UnitID]? = nil) {
        self.ranks = ranks
        self.unitIDs = unitIDs
    }
}

/// One version of a requirement: what it asks, of whom, and when it is in force
/// (`effectiveFrom`…`effectiveTo`, both inclusive, `nil`: open).
public struct RequirementVersion: Hashable, Sendable {
    public var params: RequirementParams
    public var appliesTo: AppliesTo
    public var effectiveFrom: CalendarDate
    public var effectiveTo: CalendarDate?
    public var dueSoonDays: Int
    public var mandatory: Bool

    public init(params: RequirementParams, appliesTo: AppliesTo = .everyone, effectiveFrom: CalendarDate,
                effectiveTo: CalendarDate? = nil, dueSoonDays: Int = 60, mandatory: Bool = true) {
        self.params = params
        self.appliesTo = appliesTo
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.dueSoonDays = dueSoonDays
        self.mandatory = mandatory
    }
}

/// A requirement with every version it has had.
///
/// ```swift
/// let utah = ComplianceRequirement(id: RequirementID(), code: "ut_annual", name: "Annual training", versions: [
///     RequirementVersion(params: .hours(period: .fixed(startsOn: CalendarDate("2000-07-01")!, months: 12),
///                                       totalHours: QuarterHours(quarters: 160), categoryMinimums: [],
///                                       newHires: .prorate(perMonth: QuarterHours(quarters: 14))),
///                        effectiveFrom: CalendarDate("2000-07-01")!),
/// ])
/// ```
public struct ComplianceRequirement: Sendable {
    public var id: RequirementID
    public var code: String
    public var name: String
    public var versions: [RequirementVersion]

    public init(id: RequirementID, code: String, name: String, versions: [RequirementVersion]) {
        self.id = id
        self.code = code
        self.name = name
        self.versions = versions
    }
}
