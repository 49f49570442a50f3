import MusterTime

/// One person's history indexed for judging: the records that can count (approved,
/// completed or passed) sorted by date, with running sums of their hours overall and per
/// category, so that a period's hours are two binary searches and a few subtractions.
/// Made by ``ComplianceRulebook/prepare(_:)``.
public struct PreparedPerson: Sendable {
    public let person: CompliancePerson
    let rankIndex: Int32
    let unitIndex: Int32
    /// Counting records by (`completed_on`, id).
    let recordDays: [Int64]
    let recordIDs: [TrainingRecordID]
    let recordPassed: [Bool]
    let recordCourse: [Int32]
    /// `hoursPrefix[i]`: quarter-hours of records `0..<i`.
    let hoursPrefix: [Int64]
    /// `categoryPrefix[i * categoryCount + c]`: quarter-hours in category `c` of records `0..<i`.
    let categoryPrefix: [Int32]
    let categoryCount: Int
    /// Certifications not voided.
    let certifications: [ComplianceCertification]
    let acknowledgements: [PolicyAcknowledgement]
    let waivers: [ComplianceWaiver]
    /// Per anchored rule of the rulebook: the person's anchor date and the last day of each period from it.
    let anchored: [(anchor: CalendarDate?, ends: [Int64])]

    /// How far ahead anchored periods are listed; a later `as_of` walks the periods instead.
    static let anchoredHorizon = CalendarDate(daysSinceEpoch: CivilCalendar.days(year: 2150, month: 12, day: 31))

    init(history: PersonHistory, rulebook: ComplianceRulebook) {
        person = history.person
        rankIndex = rulebook.ranks.index(of: history.person.rank)
        unitIndex = history.person.unitID.flatMap { rulebook.units[$0] } ?? -1
        let counting = history.records
            .filter { $0.status == .approved && $0.outcome != .failed }
            .sorted { ($0.completedOn, $0.id) < ($1.completedOn, $1.id) }
        recordDays = counting.map(\.completedOn.daysSinceEpoch)
        recordIDs = counting.map(\.id)
        recordPassed = counting.map { $0.outcome == .passed }
        recordCourse = counting.map { rulebook.courses.index(of: $0.courseCode) }
        var hours: [Int64] = [0]
        hours.reserveCapacity(counting.count + 1)
        let width = rulebook.categories.count
        var categories = [Int32](repeating: 0, count: (counting.count + 1) * width)
        for (index, record) in counting.enumerated() {
            hours.append(hours[index] + record.hours.quarters)
            let row = (index + 1) * width
            for column in 0..<width { categories[row + column] = categories[row - width + column] }
            for entry in record.categoryHours {
                let column = rulebook.categories.index(of: entry.code)
                if column >= 0 { categories[row + Int(column)] += Int32(clamping: entry.hours.quarters) }
            }
        }
        hoursPrefix = hours
        categoryPrefix = categories
        categoryCount = width
        certifications = history.certifications.filter { !$0.voided }
        acknowledgements = history.acknowledgements
        waivers = history.waivers
        anchored = rulebook.anchoredRules.map { rule in
            guard case .anchored(let field, _, _) = rule,
                  let anchor = field == .hireDate ? history.person.hireDate : history.person.licenseIssuedOn else { return (nil, []) }
            return (anchor, rule.anchoredEnds(from: anchor, through: Self.anchoredHorizon, limit: 2_000))
        }
    }

    /// C and P of an anchored version for this person: a binary search over the listed period ends.
    func anchoredPeriods(_ version: PreparedVersion, containing date: CalendarDate) -> CurrentPeriods? {
        guard version.anchoredSlot >= 0, let period = version.period else { return nil }
        let (anchor, ends) = anchored[version.anchoredSlot]
        guard let anchor, anchor <= date else { return nil }
        var low = 0, high = ends.count
        while low < high {
            let middle = (low + high) >> 1
            if ends[middle] < date.daysSinceEpoch { low = middle + 1 } else { high = middle }
        }
        guard low < ends.count else { return period.periods(containing: date, anchorDate: anchor) }
        func start(_ index: Int) -> CalendarDate { index == 0 ? anchor : CalendarDate(daysSinceEpoch: ends[index - 1] + 1) }
        let current = CompliancePeriod(startsOn: start(low), endsOn: CalendarDate(daysSinceEpoch: ends[low]))
        let previous = low == 0 ? nil : CompliancePeriod(startsOn: start(low - 1), endsOn: CalendarDate(daysSinceEpoch: ends[low - 1]))
        return CurrentPeriods(current: current, previous: previous)
    }

    /// The index of the first counting record dated on or after `day`.
    @inline(__always)
    func firstRecord(onOrAfter day: Int64) -> Int {
        recordDays.withUnsafeBufferPointer { days in
            var low = 0, high = days.count
            while low < high {
                let middle = (low + high) >> 1
                if days[middle] < day { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Quarter-hours of records `range` in category `column`.
    @inline(__always)
    func categoryQuarters(_ column: Int32, _ range: Range<Int>) -> Int64 {
        Int64(categoryPrefix[range.upperBound * categoryCount + Int(column)] - categoryPrefix[range.lowerBound * categoryCount + Int(column)])
    }

    /// Whether record `index` qualifies for a completion or recurring version.
    @inline(__always)
    func qualifies(_ index: Int, for version: PreparedVersion, passedOnly: Bool) -> Bool {
        if passedOnly && !recordPassed[index] { return false }
        if version.qualifyingCourses.contains(recordCourse[index]) { return true }
        for column in version.qualifyingCategories where categoryQuarters(column, index..<(index + 1)) > 0 { return true }
        return false
    }
}

extension ComplianceRulebook {
    /// Indexes one person's history against this rulebook's codes, ranks and units.
    public func prepare(_ history: PersonHistory) -> PreparedPerson {
        PreparedPerson(history: history, rulebook: self)
    }
}
