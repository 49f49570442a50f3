import MusterHTTP

/// Reading hours from what clients send (``QuarterHours`` itself is the compliance
/// engine's exact count): CSV cells give decimal text, JSON gives numbers, and both
/// go through ``init(decimal:)``.
///
/// ```swift
/// QuarterHours(decimal: "2.75")?.value          // 11
/// QuarterHours(decimal: "0.1")                  // nil: not a multiple of 0.25
/// try QuarterHours.recordable(7.5).value        // 30 (a JSON number)
/// try QuarterHours.recordable(0.1)              // 422 invalid_hours
/// QuarterHours(11).decimal                      // "2.75"
/// ```
extension QuarterHours {
    /// The most one record or course may count (1,000 hours).
    static let maximum = QuarterHours(4000)

    /// The number of quarter-hours, as the store's integer columns hold them.
    var value: Int { Int(quarters) }

    init(_ value: Int) { self.init(quarters: Int64(value)) }

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
        self.init(hours * 4 + quarters)
    }

    /// A JSON number, read as its shortest decimal form (`7.5`, `1000.0`; `0.1`, `-1.0`, `nan` and `1e+16` are nil).
    init?(number: Double) { self.init(decimal: number.description) }

    /// What one record may carry: above 0, at most 1,000 hours.
    var isRecordable: Bool { value >= 1 && self <= Self.maximum }

    /// A JSON `hours` a record or course may carry; else `422 invalid_hours` naming `field`.
    static func recordable(_ hours: Double, field: String = "hours") throws(HTTPError) -> QuarterHours {
        guard let quarters = QuarterHours(number: hours), quarters.isRecordable else {
            throw HTTPError.unprocessable("\(field) must be a number of hours above 0, at most 1000, in steps of 0.25.",
                                          code: "invalid_hours")
        }
        return quarters
    }

    /// Decimal text as a CSV cell writes it (`2.75`).
    var decimal: String { description }
}

extension QuarterHours {
    /// A JSON split of `totalQuarters` by category code (`{"firearms": 4, "use_of_force": 2}`):
    /// each part recordable, every code among `known`, the parts summing to at most the total.
    static func split(_ split: [String: Double], totalQuarters: Int, known: Set<String>) throws(HTTPError) -> [String: Int] {
        var result: [String: Int] = [:]
        for (code, hours) in split.sorted(by: { $0.key < $1.key }) {
            guard known.contains(code) else {
                throw HTTPError.unprocessable("category_hours names an unknown category: \(String(code.prefix(60)))", code: "unknown_category")
            }
            result[code] = try recordable(hours, field: "category_hours.\(code)").value
        }
        guard result.values.reduce(0, +) <= totalQuarters else {
            throw HTTPError.unprocessable("category_hours add up to more than hours.", code: "invalid_category_hours")
        }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
