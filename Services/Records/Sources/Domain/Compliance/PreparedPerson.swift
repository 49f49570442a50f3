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
