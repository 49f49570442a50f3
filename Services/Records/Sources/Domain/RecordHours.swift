import MusterHTTP

/// Hours as the API writes them (a JSON number, a multiple of 0.25) and as Records
/// stores them (integer quarter-hours).
///
/// ```swift
/// try RecordHours.quarters(7.5)             // 30
/// try RecordHours.quarters(0.1)             // 422 invalid_hours
/// RecordHours.hours(30)                     // 7.5
/// ```
enum RecordHours {
    /// The most one record or course may count: 1,000 hours.
    static let maximumQuarters = 4000

    /// `hours` > 0, ≤ 1000 and a multiple of 0.25, in quarter-hours; else `422 invalid_hours`.
    static func quarters(_ hours: Double, field: String = "hours") throws(HTTPError) -> Int {
        let quarters = hours * 4
        guard hours.isFinite, quarters == quarters.rounded(), quarters >= 1, quarters <= Double(maximumQuarters) else {
            throw HTTPError.unprocessable("\(field) must be a number of hours above 0, at most 1000, in steps of 0.25.",
                                          code: "invalid_hours")
        }
        return Int(quarters)
    }

    static func hours(_ quarters: Int) -> Double { Double(quarters) / 4 }

    /// A split of `totalQuarters` by category code (`{"firearms": 4, "use_of_force": 2}`):
    /// each part a valid number of hours, every code among `known`, the parts summing to at most the total.
    static func split(_ split: [String: Double], totalQuarters: Int, known: Set<String>) throws(HTTPError) -> [String: Int] {
        var result: [String: Int] = [:]
        for (code, hours) in split.sorted(by: { $0.key < $1.key }) {
            guard known.contains(code) else {
                throw HTTPError.unprocessable("category_hours names an unknown category: \(String(code.prefix(60)))", code: "unknown_category")
            }
            result[code] = try quarters(hours, field: "category_hours.\(code)")
        }
        guard result.values.reduce(0, +) <= totalQuarters else {
            throw HTTPError.unprocessable("category_hours add up to more than hours.", code: "invalid_category_hours")
        }
        return result
    }

    /// Stored quarter-hours by category as API hours.
    static func hours(_ split: [String: Int]) -> [String: Double] { split.mapValues(hours) }
}
