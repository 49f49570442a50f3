/// A calendar date without a time or a zone (`YYYY-MM-DD` on the wire): what
/// training was completed on, when a certification expires, a compliance period's
/// bounds. Stored as days since 1970-01-01, so comparing and counting days is integer work.
///
/// ```swift
/// let hired = CalendarDate("2024-01-31")!
/// hired.addingMonths(1)              // 2024-02-29 (clamped to the month's end)
/// hired.addingDays(-1).description   // "2024-01-30"
/// CalendarDate("2025-02-30")         // nil
/// ```
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int64

    /// The dates the wire form can write (years 0001…9999).
    public static let range = CalendarDate(year: 1, month: 1, day: 1)!...CalendarDate(year: 9999, month: 12, day: 31)!

    @inlinable
    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// nil for a day that does not exist (2025-02-30, month 13) or a year outside 1…9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Int(CivilCalendar.daysIn(month: Int64(month), year: Int64(year)))).contains(day) else { return nil }
        daysSinceEpoch = CivilCalendar.days(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    /// Parses exactly `YYYY-MM-DD` (a real day); anything else is nil.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        utf8[4] = UInt8(ascii: "0")
        utf8[7] = UInt8(ascii: "0")
        var fields = [0, 0, 0]
        for (index, byte) in utf8.enumerated() {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            let field = index < 4 ? 0 : index < 7 ? 1 : 2
            if index != 4, index != 7 { fields[field] = fields[field] * 10 + Int(byte - UInt8(ascii: "0")) }
        }
        self.init(year: fields[0], month: fields[1], day: fields[2])
    }

    public var components: (year: Int, month: Int, day: Int) {
        let civil = CivilCalendar.civil(fromDays: daysSinceEpoch)
        return (Int(civil.year), Int(civil.month), Int(civil.day))
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    @inlinable
    public func addingDays(_ days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + Int64(days))
    }

    /// The same day of month `months` later (or earlier), clamped to the last day of
    /// that month: 2024-01-31 + 1 = 2024-02-29, 2023-01-31 + 1 = 2023-02-28.
    /// Periods are computed from their anchor (`anchor.addingMonths(k * n)`), never
    /// by adding to the previous period's end.
    public func addingMonths(_ months: Int) -> CalendarDate {
        let (year, month, day) = CivilCalendar.civil(fromDays: daysSinceEpoch)
        let (yearShift, monthIndex) = CivilCalendar.floorDivision(month - 1 + Int64(months), 12)
        let newYear = year + yearShift
        let newMonth = monthIndex + 1
        let newDay = min(day, CivilCalendar.daysIn(month: newMonth, year: newYear))
        return CalendarDate(daysSinceEpoch: CivilCalendar.days(year: newYear, month: newMonth, day: newDay))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    @inlinable
    public func days(until other: CalendarDate) -> Int { Int(other.daysSinceEpoch - daysSinceEpoch) }

    @inlinable
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = CivilCalendar.civil(fromDays: daysSinceEpoch)
        return String(unsafeUninitializedCapacity: 10) { out in
            out.putDigits(year, at: 0, width: 4)
            out[4] = UInt8(ascii: "-")
            out.putDigits(month, at: 5, width: 2)
            out[7] = UInt8(ascii: "-")
            out.putDigits(day, at: 8, width: 2)
            return 10
        }
    }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date (YYYY-MM-DD): \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
