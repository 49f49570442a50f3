import MusterCore

/// A row's split of hours by category, written `firearms:2;use_of_force:1.5`:
/// codes the agency has, each a multiple of 0.25, no code twice.
///
/// ```swift
/// try CategorySplit.parse("firearms:2;use_of_force:2", known: ["firearms", "use_of_force"])   // ["firearms": 8, "use_of_force": 8]
/// ```
enum CategorySplit {
    struct Invalid: Error {
        let message: String
    }

    /// Quarter-hours by category code.
    static func parse(_ text: String, known: Set<String>) throws(Invalid) -> [String: Int] {
        var result: [String: Int] = [:]
        for item in text.split(separator: ";", omittingEmptySubsequences: true) {
            let pair = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let code = pair[0].trimmingCharacters(in: .whitespaces)
            guard pair.count == 2 else { throw Invalid(message: "Write each category as code:hours (\(item)).") }
            guard known.contains(code) else { throw Invalid(message: "Unknown category \(code).") }
            guard let hours = QuarterHours(decimal: pair[1].trimmingCharacters(in: .whitespaces)), hours.isRecordable else {
                throw Invalid(message: "Hours of \(code) must be a multiple of 0.25, above 0 and at most 1000.")
            }
            guard result.updateValue(hours.value, forKey: code) == nil else { throw Invalid(message: "Category \(code) appears twice.") }
        }
        return result
    }
}

extension CategorySplit {
    /// As the schema stores it: a JSON object of quarter-hours.
    static func json(_ hours: [String: Int]) -> String {
        var text = "{"
        for (index, (code, quarters)) in hours.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { text += "," }
            JSONText.appendQuoted(code, to: &text)
            text += ":\(quarters)"
        }
        return text + "}"
    }
}
