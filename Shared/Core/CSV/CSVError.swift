/// Why a CSV file could not be read, and where: `row` counts records as a
/// spreadsheet shows them (the header is row 1, the first data row is row 2).
///
/// ```swift
/// do { while let record = try reader.next() { … } } catch {
///     print("row \(error.row): \(error.message)")   // row 37000: Not valid UTF-8.
/// }
/// ```
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public let row: Int
    public let message: String

    public init(row: Int, message: String) {
        self.row = row
        self.message = message
    }

    public var description: String { "row \(row): \(message)" }
}
