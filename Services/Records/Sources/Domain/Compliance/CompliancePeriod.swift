import MusterTime

/// One period of a period kind: `startsOn`…`endsOn`, both inclusive.
public struct CompliancePeriod: Hashable, Sendable, CustomStringConvertible {
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate

    @inlinable
    public init(startsOn: CalendarDate, endsOn: CalendarDate) {
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    @inlinable
    public func contains(_ date: CalendarDate) -> Bool { startsOn <= date && date <= endsOn }

    public var description: String { "\(startsOn)…\(endsOn)" }
}

/// The period containing a date (C) and the one before it (P, nil when C is a person's first).
public struct CurrentPeriods: Hashable, Sendable {
    public var current: CompliancePeriod
    public var previous: CompliancePeriod?
}

extension PeriodRule {
    /// C and P for `date` (spec: Periods). nil when there is no C: an anchored rule for a
    /// person without the anchor date, or a `date` before their first period.
    ///
    /// ```swift
    /// let florida = PeriodRule.anchored(anchor: .licenseIssuedOn, months: 48, endsOn: MonthDay("06-30"))
    /// florida.periods(containing: CalendarDate("2002-07-01")!, anchorDate: CalendarDate("1997-11-21"))
    /// // current 2002-07-01…2006-06-30, previous 1997-11-21…2002-06-30
    /// ```
    public func periods(containing date: CalendarDate, anchorDate: CalendarDate?) -> CurrentPeriods? {
        switch self {
        case .fixed(let start, let months):
            return Self.evenPeriods(from: start, months: months, containing: date, firstIndex: nil)
        case .calendarYear:
            return Self.evenPeriods(from: Self.calendarYearStart, months: 12, containing: date, firstIndex: nil)
        case .anchored(_, let months, nil):
            guard let anchorDate, anchorDate <= date else { return nil }
            return Self.evenPeriods(from: anchorDate, months: months, containing: date, firstIndex: 0)
        case .anchored(_, let months, let endsOn?):
            guard let anchorDate, anchorDate <= date else { return nil }
            return Self.snappedPeriods(from: anchorDate, months: months, endsOn: endsOn, containing: date)
        }
    }

    /// The last day of each anchored period from `anchor` on, until one ends on or after
    /// `horizon` or `limit` periods are listed (what a person's index keeps, to find C and P by binary search).
    func anchoredEnds(from anchor: CalendarDate, through horizon: CalendarDate, limit: Int) -> [Int64] {
        guard case .anchored(_, let months, let endsOn) = self else { return [] }
        var ends: [Int64] = []
        var start = anchor
        while ends.count < limit {
            let end = endsOn.map { Self.firstOnOrAfter(start.addingMonths(months).addingDays(-1), $0) }
                ?? anchor.addingMonths((ends.count + 1) * months).addingDays(-1)
            ends.append(end.daysSinceEpoch)
            if end >= horizon { break }
            start = end.addingDays(1)
        }
        return ends
    }

    static let calendarYearStart = CalendarDate(daysSinceEpoch: CivilCalendar.days(year: 2000, month: 1, day: 1))

    /// Periods `[start + k·months, start + (k+1)·months − 1 day]`, each from the original start.
    private static func evenPeriods(from start: CalendarDate, months: Int, containing date: CalendarDate, firstIndex: Int?) -> CurrentPeriods {
        let from = CivilCalendar.civil(fromDays: start.daysSinceEpoch)
        let to = CivilCalendar.civil(fromDays: date.daysSinceEpoch)
        let monthsApart = (to.year - from.year) * 12 + (to.month - from.month)
        var index = Int(CivilCalendar.floorDivision(monthsApart, Int64(months)).quotient)
        var current = start.addingMonths(index * months)
        if current > date {
            index -= 1
            current = start.addingMonths(index * months)
        }
        let next = start.addingMonths((index + 1) * months)
        let period = CompliancePeriod(startsOn: current, endsOn: next.addingDays(-1))
        guard firstIndex.map({ index > $0 }) ?? true else { return CurrentPeriods(current: period, previous: nil) }
        let previous = CompliancePeriod(startsOn: start.addingMonths((index - 1) * months), endsOn: current.addingDays(-1))
        return CurrentPeriods(current: period, previous: previous)
    }

    /// Periods whose end snaps forward to a month-day: a period starting on `s` ends on the
    /// first `endsOn` on or after `s + months − 1 day`; the next starts the day after.
    private static func snappedPeriods(from anchor: CalendarDate, months: Int, endsOn: MonthDay, containing date: CalendarDate) -> CurrentPeriods {
        var previous: CompliancePeriod?
        var start = anchor
        while true {
            let end = firstOnOrAfter(start.addingMonths(months).addingDays(-1), endsOn)
            let period = CompliancePeriod(startsOn: start, endsOn: end)
            if date <= end { return CurrentPeriods(current: period, previous: previous) }
            previous = period
            start = end.addingDays(1)
        }
    }

    /// The first `monthDay` on or after `date`.
    static func firstOnOrAfter(_ date: CalendarDate, _ monthDay: MonthDay) -> CalendarDate {
        let year = Int(CivilCalendar.civil(fromDays: date.daysSinceEpoch).year)
        let candidate = monthDay.date(inYear: year)
        return candidate >= date ? candidate : monthDay.date(inYear: year + 1)
    }
}
