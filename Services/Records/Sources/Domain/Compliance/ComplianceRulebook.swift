import MusterTime

/// An agency's requirements, unit tree and policies, prepared once for judging many
/// people: codes, ranks and units interned to indices, each version's `applies_to`
/// resolved to the set of units it covers (descendants included), policy versions sorted.
///
/// ```swift
/// let rulebook = ComplianceRulebook(requirements: requirements, units: units, policyVersions: versions)
/// let person = rulebook.prepare(history)
/// let plan = CompliancePlan(rulebook: rulebook, asOf: CalendarDate("2025-06-30")!)
/// plan.overallStatus(of: person)   // .compliant, .dueSoon or .overdue
/// ```
public struct ComplianceRulebook: Sendable {
    public let requirements: [ComplianceRequirement]
    let prepared: [PreparedRequirement]
    let categories: Interner
    let courses: Interner
    let ranks: Interner
    let units: [UnitID: Int32]
    /// The distinct anchored period rules, whose periods each person's index lists ahead of time.
    let anchoredRules: [PeriodRule]
    /// Each policy's versions by `published_on`, then version number.
    let policies: [PolicyID: [CompliancePolicyVersion]]

    public init(requirements: [ComplianceRequirement], units: [ComplianceUnit] = [], policyVersions: [CompliancePolicyVersion] = []) {
        var categories = Interner(), courses = Interner(), ranks = Interner()
        var anchoredRules: [PeriodRule] = []
        var unitIndex: [UnitID: Int32] = [:]
        for unit in units where unitIndex[unit.id] == nil { unitIndex[unit.id] = Int32(unitIndex.count) }
        let parents = Dictionary(units.map { ($0.id, $0.parentID) }, uniquingKeysWith: { first, _ in first })
        self.requirements = requirements
        prepared = requirements.map { requirement in
            PreparedRequirement(requirement: requirement, categories: &categories, courses: &courses, ranks: &ranks,
                                anchoredRules: &anchoredRules, units: unitIndex, parents: parents)
        }
        self.categories = categories
        self.courses = courses
        self.ranks = ranks
        self.units = unitIndex
        self.anchoredRules = anchoredRules
        policies = Dictionary(grouping: policyVersions, by: \.policyID).mapValues {
            $0.sorted { ($0.publishedOn, $0.version) < ($1.publishedOn, $1.version) }
        }
    }
}

/// A requirement with its versions sorted by `effective_from` and their parameters in index form
/// (a class: judging reads it through one reference instead of copying its arrays).
final class PreparedRequirement: Sendable {
    let id: RequirementID
    let versions: [PreparedVersion]
    /// The first version's `effective_from` and the last day any version is in force.
    let firstFrom: CalendarDate
    let lastTo: CalendarDate

    init(requirement: ComplianceRequirement, categories: inout Interner, courses: inout Interner, ranks: inout Interner,
         anchoredRules: inout [PeriodRule], units: [UnitID: Int32], parents: [UnitID: UnitID?]) {
        id = requirement.id
        versions = requirement.versions.sorted { $0.effectiveFrom < $1.effectiveFrom }.map {
            PreparedVersion($0, categories: &categories, courses: &courses, ranks: &ranks, anchoredRules: &anchoredRules, units: units,
                            parents: parents)
        }
        firstFrom = versions.first?.from ?? CalendarDate.range.upperBound
        lastTo = versions.map(\.to).max() ?? CalendarDate.range.lowerBound
    }

    /// The index of the version in force on `date` (the latest `effective_from` among those covering it), or -1.
    @inline(__always)
    func version(on date: CalendarDate) -> Int {
        var index = versions.count - 1
        while index >= 0 {
            let version = versions[index]
            if version.from <= date && date <= version.to { return index }
            index -= 1
        }
        return -1
    }
}

/// One version's parameters as plain fields, with codes, ranks and units as indices.
final class PreparedVersion: Sendable {
    let source: RequirementVersion
    let kind: RequirementKind
    /// Period kinds: the rule, and its slot in the rulebook's anchored rules (-1: not anchored).
    let period: PeriodRule?
    let anchoredSlot: Int
    let newHires: NewHireRule
    /// Hours kind: the total and each minimum's hours, in quarter-hours.
    let totalQuarters: Int64
    let minimumQuarters: [Int64]
    /// Completion kind: only `passed` records qualify.
    let passedOnly: Bool
    /// Recurring: `every_months`. Recurring and certification: `initial_days`; policy: `within_days`.
    let everyMonths: Int
    let days: Int
    let certificationType: CertificationTypeID?
    let from: CalendarDate
    let to: CalendarDate
    let dueSoonDays: Int
    /// nil: every rank / every unit.
    let ranks: IndexBits?
    let units: IndexBits?
    /// Hours kind: the minimums' categories as indices.
    let minimumCategories: [[Int32]]
    /// Completion and recurring kinds.
    let qualifyingCourses: IndexBits
    let qualifyingCategories: [Int32]

    init(_ version: RequirementVersion, categories: inout Interner, courses: inout Interner, ranks rankNames: inout Interner,
         anchoredRules: inout [PeriodRule], units: [UnitID: Int32], parents: [UnitID: UnitID?]) {
        source = version
        kind = version.params.kind
        period = version.params.period
        if case .anchored? = period, let period {
            if let slot = anchoredRules.firstIndex(of: period) { anchoredSlot = slot } else {
                anchoredSlot = anchoredRules.count
                anchoredRules.append(period)
            }
        } else {
            anchoredSlot = -1
        }
        var newHires = NewHireRule.full, total: Int64 = 0, minimumQuarters: [Int64] = [], passedOnly = false
        var everyMonths = 0, days = 0, certificationType: CertificationTypeID?
        from = version.effectiveFrom
        to = version.effectiveTo ?? CalendarDate.range.upperBound
        dueSoonDays = version.dueSoonDays
        ranks = version.appliesTo.ranks.map { IndexBits($0.map { rankNames.intern($0) }) }
        self.units = version.appliesTo.unitIDs.map { Self.coveredUnits(by: Set($0), units: units, parents: parents) }
        var minimumCategories: [[Int32]] = []
        var training = QualifyingTraining()
        switch version.params {
        case .hours(_, let totalHours, let minimums, let rule):
            minimumCategories = minimums.map { $0.categoryCodes.map { categories.intern($0) } }
            minimumQuarters = minimums.map(\.hours.quarters)
            total = totalHours.quarters
            newHires = rule
        case .completion(_, let qualifying, let passed, let rule):
            training = qualifying
            passedOnly = passed
            newHires = rule
        case .recurring(let every, let qualifying, let initialDays):
            training = qualifying
            everyMonths = every
            days = initialDays
        case .certification(let type, let initialDays):
            certificationType = type
            days = initialDays
        case .policy(_, let withinDays):
            days = withinDays
        }
        self.minimumCategories = minimumCategories
        self.minimumQuarters = minimumQuarters
        self.newHires = newHires
        totalQuarters = total
        self.passedOnly = passedOnly
        self.everyMonths = everyMonths
        self.days = days
        self.certificationType = certificationType
        qualifyingCourses = IndexBits(training.courseCodes.map { courses.intern($0) })
        qualifyingCategories = training.categoryCodes.map { categories.intern($0) }
    }

    /// The units listed and every unit below them: a unit is covered when it or an ancestor is listed.
    private static func coveredUnits(by listed: Set<UnitID>, units: [UnitID: Int32], parents: [UnitID: UnitID?]) -> IndexBits {
        var covered = IndexBits()
        for (unit, index) in units {
            var cursor: UnitID? = unit
            var steps = 0
            while let current = cursor, steps <= units.count {
                if listed.contains(current) { covered.insert(index); break }
                cursor = parents[current] ?? nil
                steps += 1
            }
        }
        return covered
    }

    /// Whether this version's `applies_to` matches a person's current rank and unit.
    @inline(__always)
    func applies(to person: PreparedPerson) -> Bool {
        if let ranks, !ranks.contains(person.rankIndex) { return false }
        if let units, !units.contains(person.unitIndex) { return false }
        return true
    }
}
