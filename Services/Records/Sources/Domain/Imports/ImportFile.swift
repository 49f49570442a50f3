import MusterCore

/// Reads an import file whole before anything is written: the header is matched
/// (``CSVColumns``), then every record of the header's width is checked by `check`, which returns the
/// row to write or records its problems. Any problem refuses the file.
///
/// ```swift
/// let result = ImportFile.read(body, columns: TrainingImport.columns, required: TrainingImport.required,
///                              maximumRows: 200_000) { fields, row, table, problems in … }
/// ```
enum ImportFile {
    static func read<Row>(_ bytes: [UInt8], columns: [String], required: [String], maximumRows: Int,
                          check: (_ fields: [String], _ row: Int, _ table: CSVColumns, _ problems: inout ImportProblems) -> Row?)
        -> Result<[Row], ImportProblems> {
        var problems = ImportProblems(), rows: [Row] = []
        var reader = CSVReader(bytes)
        do throws(CSVError) {
            guard let header = try reader.next() else {
                problems.add(row: 1, field: "file", "The file is empty; it needs a header row and at least one row.")
                return .failure(problems)
            }
            let table = CSVColumns(header: header, known: columns, required: required, problems: &problems)
            guard problems.isEmpty else { return .failure(problems) }
            while let fields = try reader.next() {
                if reader.row > maximumRows + 1 {
                    problems.add(row: reader.row, field: "file", "At most \(maximumRows) rows per import.")
                    break
                }
                guard fields.count == table.width else {
                    problems.add(row: reader.row, field: "row", "Expected \(table.width) fields, found \(fields.count).")
                    continue
                }
                if let row = check(fields, reader.row, table, &problems) { rows.append(row) }
            }
        } catch {
            problems.add(row: error.row, field: "file", error.message)
        }
        if problems.isEmpty, rows.isEmpty { problems.add(row: 2, field: "file", "No rows to import.") }
        return problems.isEmpty ? .success(rows) : .failure(problems)
    }
}
