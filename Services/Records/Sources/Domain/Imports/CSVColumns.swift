import MusterCore

/// The header row of an import, matched by name: columns may come in any order,
/// the required ones must be there, and a column nobody reads is an error (a typo
/// would otherwise drop a whole column silently).
///
/// ```swift
/// let columns = try CSVColumns(header: ["badge_number", "hours"], known: ["badge_number", "hours", "score"],
///                              required: ["badge_number", "hours"])
/// columns.value("hours", in: fields)   // the row's hours, "" when the column is absent
/// ```
struct CSVColumns: Sendable {
    private let positions: [String: Int]

    init(header: [String], known: [String], required: [String], problems: inout ImportProblems) {
        var positions: [String: Int] = [:]
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if !known.contains(name) {
                problems.add(row: 1, field: raw, "Unknown column; the columns are \(known.joined(separator: ",")).")
            } else if positions[name] != nil {
                problems.add(row: 1, field: name, "The column appears twice.")
            } else {
                positions[name] = index
            }
        }
        for name in required where positions[name] == nil { problems.add(row: 1, field: name, "Required column missing.") }
        self.positions = positions
        width = header.count
    }

    let width: Int

    /// The field of `column` in `fields`, trimmed; empty when the file has no such column.
    func value(_ column: String, in fields: [String]) -> String {
        guard let index = positions[column], index < fields.count else { return "" }
        return fields[index].trimmingCharacters(in: .whitespaces)
    }
}
