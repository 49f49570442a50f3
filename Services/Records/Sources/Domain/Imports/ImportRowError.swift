/// One problem of an imported file: its row as a spreadsheet shows it (the header
/// is row 1), the column, and what is wrong. A refused import reports every bad
/// row, up to ``ImportProblems/limit``.
struct ImportRowError: Encodable, Sendable, Equatable {
    let row: Int
    let field: String
    let message: String
}

/// The problems found so far; once ``limit`` are listed, further ones are only counted.
///
/// ```swift
/// var problems = ImportProblems()
/// problems.add(row: 37_000, field: "completed_on", "Not a date (YYYY-MM-DD).")
/// problems.isEmpty   // false: nothing is written
/// ```
struct ImportProblems: Error, Sendable {
    static let limit = 1000

    private(set) var listed: [ImportRowError] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func add(row: Int, field: String, _ message: String) {
        count += 1
        if listed.count < Self.limit { listed.append(ImportRowError(row: row, field: field, message: message)) }
    }
}
