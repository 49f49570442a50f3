import Foundation
import MusterCore
import MusterTime

/// `POST /imports/personnel`: one person per row of `badge_number,first_name,
/// last_name,email,rank,unit,hire_date,status,separated_on,license_number,
/// license_issued_on` (`unit` is a unit's name; `status` `active` when empty).
///
/// ```swift
/// let result = PersonnelImport.validate(body, catalog: catalog, today: today)
/// ```
enum PersonnelImport {
    static let columns = ["badge_number", "first_name", "last_name", "email", "rank", "unit", "hire_date", "status", "separated_on",
                          "license_number", "license_issued_on"]
    static let required = ["badge_number", "first_name", "last_name", "hire_date"]
    static let statuses: Set<String> = ["active", "leave", "separated"]
    static let maximumRows = 50_000

    struct Row: Sendable {
        let id = UUID()
        let badgeNumber: String
        let firstName: String
        let lastName: String
        let email: String?
        let rank: String?
        let unitID: UUID?
        let hireDate: CalendarDate
        let status: String
        let separatedOn: CalendarDate?
        let licenseNumber: String?
        let licenseIssuedOn: CalendarDate?
    }

    static func validate(_ bytes: [UInt8], catalog: ImportCatalog, today: CalendarDate) -> Result<[Row], ImportProblems> {
        var badges: [String: Int] = [:]
        return ImportFile.read(bytes, columns: columns, required: required, maximumRows: maximumRows) { fields, row, table, problems in
            let before = problems.count
            func bad(_ field: String, _ message: String) { problems.add(row: row, field: field, message) }
            func text(_ column: String, max: Int, required: Bool = false) -> String? {
                let value = table.value(column, in: fields)
                if value.isEmpty { if required { bad(column, "Required.") }; return nil }
                if value.count > max { bad(column, "At most \(max) characters.") }
                return value
            }
            func date(_ column: String, required: Bool = false) -> CalendarDate? {
                let value = table.value(column, in: fields)
                if value.isEmpty { if required { bad(column, "Required.") }; return nil }
                guard let date = CalendarDate(value) else { bad(column, "Not a date (YYYY-MM-DD)."); return nil }
                if date > today { bad(column, "After today (\(today)).") }
                return date
            }
            let badge = text("badge_number", max: 40, required: true)
            if let badge {
                if catalog.people[badge] != nil { bad("badge_number", "A person has badge number \(badge) already.") }
                if let first = badges.updateValue(row, forKey: badge) { bad("badge_number", "Also on row \(first).") }
            }
            let first = text("first_name", max: 100, required: true), last = text("last_name", max: 100, required: true)
            let email = text("email", max: 254)?.lowercased()
            if let email, !isEmail(email) { bad("email", "Not an email address.") }
            let rank = text("rank", max: 100)
            var unitID: UUID?
            if let unit = text("unit", max: 200) {
                switch catalog.units[unit] {
                case .none: bad("unit", "No unit is named \(unit).")
                case .some(.none): bad("unit", "Several units are named \(unit).")
                case .some(.some(let id)): unitID = id
                }
            }
            let hireDate = date("hire_date", required: true)
            let status = text("status", max: 20) ?? "active"
            if !statuses.contains(status) { bad("status", "Must be active, leave or separated.") }
            let separatedOn = date("separated_on")
            if (status == "separated") != (separatedOn != nil) { bad("separated_on", "Required exactly when status is separated.") }
            let license = text("license_number", max: 100), licenseIssuedOn = date("license_issued_on")
            guard problems.count == before, let badge, let first, let last, let hireDate else { return nil }
            return Row(badgeNumber: badge, firstName: first, lastName: last, email: email, rank: rank, unitID: unitID,
                       hireDate: hireDate, status: status, separatedOn: separatedOn, licenseNumber: license, licenseIssuedOn: licenseIssuedOn)
        }
    }

    private static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.utf8.count >= 3 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0.isWhitespace })
    }
}
