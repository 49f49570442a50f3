/// Hours as the schema keeps them: whole quarter-hours (1 = 0.25 h), so sums are exact.
///
/// ```swift
/// QuarterHours(decimal: "2.75")?.value   // 11
/// QuarterHours(decimal: "0.1")           // nil: not a multiple of 0.25
/// QuarterHours(11).decimal               // "2.75"
/// ```
struct QuarterHours: Hashable, Sendable, Comparable {
    /// The most one record may carry (1,000 hours).
    static let maximum = QuarterHours(4000)

    let value: Int

    init(_ value: Int) { self.value = value }

    /// Decimal text (`4`, `2.5`, `0.75`, `1.250`): a non-negative multiple of 0.25.
    init?(decimal text: some StringProtocol) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 6, whole.allSatisfy(\.isASCIIDigit), let hours = Int(whole) else { return nil }
        var quarters = 0
        if parts.count == 2 {
            let fraction = parts[1].reversed().drop { $0 == "0" }.reversed()
            guard parts[1].allSatisfy(\.isASCIIDigit), !parts[1].isEmpty else { return nil }
            switch String(fraction) {
            case "": quarters = 0
            case "25": quarters = 1
            case "5": quarters = 2
            case "75": quarters = 3
            default: return nil
            }
        }
        value = hours * 4 + quarters
    }

    var decimal: String {
        let fraction = ["", ".25", ".5", ".75"][value % 4]
        return "\(value / 4)\(fraction)"
    }

    /// As a JSON number.
    var hours: Double { Double(value) / 4 }

    static func < (lhs: QuarterHours, rhs: QuarterHours) -> Bool { lhs.value < rhs.value }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
