/// An exact number of training hours, counted in quarter-hours: every hour figure of
/// Muster is a multiple of 0.25, so sums and comparisons are integer work and
/// 0.1 + 0.2 never happens.
///
/// ```swift
/// let hours = QuarterHours(hours: 3.5)!   // 14 quarters
/// (hours + hours).hours                   // 7.0
/// QuarterHours(hours: 0.1)                // nil: not a multiple of 0.25
/// ```
public struct QuarterHours: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// The number of quarter-hours.
    public var quarters: Int64

    @inlinable
    public init(quarters: Int64) { self.quarters = quarters }

    /// nil unless `hours` is finite, not negative, at most a billion and a multiple of 0.25.
    public init?(hours: Double) {
        guard hours.isFinite, hours >= 0, hours <= 1e9 else { return nil }
        let quarters = hours * 4
        guard quarters == quarters.rounded() else { return nil }
        self.quarters = Int64(quarters)
    }

    /// The hours as a JSON number writes them (exact: a multiple of 0.25 is a binary fraction).
    public var hours: Double { Double(quarters) / 4 }

    public static let zero = QuarterHours(quarters: 0)

    @inlinable
    public static func + (lhs: QuarterHours, rhs: QuarterHours) -> QuarterHours { QuarterHours(quarters: lhs.quarters + rhs.quarters) }
    @inlinable
    public static func - (lhs: QuarterHours, rhs: QuarterHours) -> QuarterHours { QuarterHours(quarters: lhs.quarters - rhs.quarters) }
    @inlinable
    public static func < (lhs: QuarterHours, rhs: QuarterHours) -> Bool { lhs.quarters < rhs.quarters }

    /// `12`, `12.5`, `0.25`.
    public var description: String {
        let whole = quarters / 4
        switch quarters % 4 {
        case 1: return "\(whole).25"
        case 2: return "\(whole).5"
        case 3: return "\(whole).75"
        default: return "\(whole)"
        }
    }
}

extension QuarterHours: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hours)
    }
}
