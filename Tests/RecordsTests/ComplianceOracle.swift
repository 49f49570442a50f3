import MusterCore
import MusterTime
import RecordsService

/// A second, deliberately naive implementation of the compliance spec, for the property
/// tests: written from the spec's text alone, walking days and periods one at a time, with
/// no index, no binary search and none of the engine's helpers. Slow and obvious.
struct ComplianceOracle {
    let units: [ComplianceUnit]
    let policies: [CompliancePolicyVersion]

    struct Line: Equatable, CustomStringConvertible {
        var status: RequirementStatus
        var dueOn: CalendarDate?
        var period: CompliancePeriod?
        var requiredHours: QuarterHours?
        var completedHours: QuarterHours?
        var remainingHours: QuarterHours?
        var categoryProgress: [CategoryProgress]?
        var lastCompletedOn: CalendarDate?
        var expiresOn: CalendarDate?
        var contributing: [String] = []
        var waiverID: WaiverID?

        var description: String {
            "\(status) due \(dueOn?.description ?? "-") period \(period?.description ?? "-") required \(requiredHours?.description ?? "-") "
                + "completed \(completedHours?.description ?? "-") progress \(categoryProgress ?? []) last \(lastCompletedOn?.description ?? "-") "
                + "expires \(expiresOn?.description ?? "-") contributing \(contributing.count) waiver \(waiverID?.description ?? "-")"
        }
    }

    static let notApplicable = Line(status: .notApplicable)

    // MARK: Dates, the slow way

    /// add_months: the same day `n` months later, or the last day of that month if it is shorter.
    static func addMonths(_ date: CalendarDate, _ months: Int) -> CalendarDate {
        let total = date.year * 12 + (date.month - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        var day = date.day
        while CalendarDate(year: year, month: month, day: day) == nil { day -= 1 }
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// Walks forward day by day to the first date with this month and day.
    static func firstOnOrAfter(_ date: CalendarDate, month: Int, day: Int) -> CalendarDate {
        var cursor = date
        while !(cursor.month == month && cursor.day == day) { cursor = cursor.addingDays(1) }
        return cursor
    }

    /// Counts the distinct calendar months touched walking from `start` to `end` day by day.
    static func monthsOverlapping(_ start: CalendarDate, _ end: CalendarDate) -> Int {
        var count = 0
        var lastMonth: (Int, Int)?
        var cursor = start
        while cursor <= end {
            if lastMonth.map({ $0 != (cursor.year, cursor.month) }) ?? true { count += 1 }
            lastMonth = (cursor.year, cursor.month)
            cursor = cursor.addingDays(1)
        }
        return count
    }

    // MARK: Periods

    /// C (containing `asOf`) and P, or nil when there is no C.
    func periods(_ rule: PeriodRule, asOf: CalendarDate, person: CompliancePerson) -> (CompliancePeriod, CompliancePeriod?)? {
        func even(_ start: CalendarDate, _ months: Int, firstIsZero: Bool) -> (CompliancePeriod, CompliancePeriod?)? {
            func period(_ k: Int) -> CompliancePeriod {
                CompliancePeriod(startsOn: Self.addMonths(start, k * months), endsOn: Self.addMonths(start, (k + 1) * months).addingDays(-1))
            }
            var k = 0
            while period(k).startsOn > asOf { k -= 1 }
            while period(k).endsOn < asOf { k += 1 }
            if firstIsZero && k < 0 { return nil }
            return (period(k), firstIsZero && k == 0 ? nil : period(k - 1))
        }
        switch rule {
        case .fixed(let start, let months): return even(start, months, firstIsZero: false)
        case .calendarYear: return even(CalendarDate(year: 2000, month: 1, day: 1)!, 12, firstIsZero: false)
        case .anchored(let anchor, let months, let endsOn):
            guard let start = anchor == .hireDate ? person.hireDate : person.licenseIssuedOn else { return nil }
            guard let endsOn else { return even(start, months, firstIsZero: true) }
            var previous: CompliancePeriod?
            var periodStart = start
            if asOf < start { return nil }
            while true {
                let end = Self.firstOnOrAfter(Self.addMonths(periodStart, months).addingDays(-1), month: endsOn.month, day: endsOn.day)
                let current = CompliancePeriod(startsOn: periodStart, endsOn: end)
                if asOf <= end { return (current, previous) }
                previous = current
                periodStart = end.addingDays(1)
            }
        }
    }

    // MARK: Who is subject

    func versionInForce(_ requirement: ComplianceRequirement, on date: CalendarDate) -> RequirementVersion? {
        var found: RequirementVersion?
        for version in requirement.versions where version.effectiveFrom <= date && date <= (version.effectiveTo ?? CalendarDate.range.upperBound) {
            if found.map({ version.effectiveFrom >= $0.effectiveFrom }) ?? true { found = version }
        }
        return found
    }

    func unitIsWithin(_ unit: UnitID?, _ listed: [UnitID]) -> Bool {
        guard let unit else { return false }
        if listed.contains(unit) { return true }
        guard let entry = units.first(where: { $0.id == unit }), let parent = entry.parentID else { return false }
        return unitIsWithin(parent, listed)
    }

    func applies(_ version: RequirementVersion, to person: CompliancePerson) -> Bool {
        if let ranks = version.appliesTo.ranks, !(person.rank.map { ranks.contains($0) } ?? false) { return false }
        if let unitIDs = version.appliesTo.unitIDs, !unitIsWithin(person.unitID, unitIDs) { return false }
        return true
    }

    // MARK: Counting

    func counts(_ record: ComplianceTrainingRecord, asOf: CalendarDate) -> Bool {
        record.status == .approved && (record.outcome == .completed || record.outcome == .passed) && record.completedOn <= asOf
    }

    func matches(_ record: ComplianceTrainingRecord, _ training: QualifyingTraining) -> Bool {
        if let course = record.courseCode, training.courseCodes.contains(course) { return true }
        return record.categoryHours.contains { training.categoryCodes.contains($0.code) && $0.hours.quarters > 0 }
    }

    func sortedIDs(_ records: [ComplianceTrainingRecord]) -> [String] {
        records.sorted { ($0.completedOn, $0.id) < ($1.completedOn, $1.id) }.map(\.id.description)
    }
}
