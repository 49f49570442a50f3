import MusterAuth
import MusterCore

/// The CSV of `POST /api/v1/users/import`: `email,name,roles` per record (RFC 4180,
/// read by ``CSVReader``), roles separated by `;` or spaces, an optional header line.
///
/// ```swift
/// let rows = try UserCSV.parse(Array("email,name,roles\njane@metro.example,Jane Doe,officer;supervisor\n".utf8))
/// ```
/// Every row is checked; the errors of all rows come back together (`Failure`), so
/// an import is all or nothing with a complete report.
enum UserCSV {
    static let maximumRows = 1000

    struct Row: Sendable, Equatable {
        let line: Int
        let email: EmailAddress
        let name: String
        let roles: [Role]
    }

    struct RowError: Encodable, Sendable, Equatable {
        let row: Int
        let field: String
        let message: String
    }

    struct Failure: Error {
        let errors: [RowError]
    }

    static func parse(_ bytes: [UInt8]) throws(Failure) -> [Row] {
        var reader = CSVReader(bytes)
        var rows: [Row] = [], errors: [RowError] = [], seen: Set<EmailAddress> = []
        do throws(CSVError) {
            while let record = try reader.next() {
                let line = reader.row
                if line == 1, record.first?.lowercased() == "email" { continue }
                if record.count == 1, record[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
                guard record.count == 3 else {
                    errors.append(RowError(row: line, field: "row", message: "Expected 3 fields (email,name,roles), found \(record.count)."))
                    continue
                }
                do throws(ValidationFailure) {
                    let email = try EmailAddress.validated(record[0])
                    guard seen.insert(email).inserted else { throw ValidationFailure(field: "email", message: "Appears twice in the file.") }
                    let name = try PersonName.validated(record[1])
                    let roles = try AgencyRoles.parse(record[2].split(whereSeparator: { $0 == ";" || $0 == " " }).map(String.init))
                    rows.append(Row(line: line, email: email, name: name, roles: roles))
                } catch {
                    errors.append(RowError(row: line, field: error.field, message: error.message))
                }
            }
        } catch {
            errors.append(RowError(row: error.row, field: "file", message: error.message))
        }
        if rows.isEmpty, errors.isEmpty { errors.append(RowError(row: 0, field: "file", message: "No rows to import.")) }
        if rows.count > maximumRows { errors.append(RowError(row: 0, field: "file", message: "At most \(maximumRows) rows per import.")) }
        guard errors.isEmpty else { throw Failure(errors: errors) }
        return rows
    }
}
