import Foundation
import MusterTime

/// Where an expense's money came from.
enum FundingSource: String, Codable, CaseIterable, Sendable {
    case budget, grant, stateReimbursement = "state_reimbursement", other
}

/// `POST /expenses`: a training expense, with validated fields.
///
/// ```swift
/// let input = try JSONCoding.decode(ExpenseInput.self, from: body)
/// let problem = input.problem(today: today)   // nil when it may be stored
/// ```
struct ExpenseInput: Decodable, Sendable {
    let incurredOn: CalendarDate
    let amountCents: Int64
    let currency: String?
    let category: String
    let vendor: String?
    let fundingSource: FundingSource
    let personId: UUID?
    let trainingRecordId: UUID?
    let notes: String?

    /// The ISO 4217 code, `USD` when none is given.
    var currencyCode: String { currency ?? "USD" }

    /// The first rule the input breaks: (field, message).
    func problem(today: CalendarDate) -> (field: String, message: String)? {
        if amountCents <= 0 { return ("amount_cents", "Must be a positive whole number of cents.") }
        if !Currency.isISO4217(currencyCode) { return ("currency", "Must be an ISO 4217 currency code such as USD.") }
        if category.trimmingCharacters(in: .whitespaces).isEmpty || category.count > 100 { return ("category", "Required, at most 100 characters.") }
        if let vendor, vendor.isEmpty || vendor.count > 200 { return ("vendor", "At most 200 characters, not empty.") }
        if let notes, notes.count > 4000 { return ("notes", "At most 4000 characters.") }
        if incurredOn > today { return ("incurred_on", "After today (\(today)) in the agency's time zone.") }
        return nil
    }
}

/// ISO 4217 codes in use (Foundation's list of the common ones).
enum Currency {
    static let codes = Set(Locale.commonISOCurrencyCodes)

    static func isISO4217(_ code: String) -> Bool { codes.contains(code) }
}
