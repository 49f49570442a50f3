import Foundation

/// Where an expense's money came from.
enum FundingSource: String, CaseIterable, Sendable {
    case budget, grant, stateReimbursement = "state_reimbursement", other
}

/// ISO 4217 codes in use (Foundation's list of the common ones): `USD`, `EUR`, `CAD`…
///
/// ```swift
/// Currency.isISO4217("USD")   // true
/// Currency.isISO4217("usd")   // false: codes are upper case
/// ```
enum Currency {
    static let codes = Set(Locale.commonISOCurrencyCodes)

    static func isISO4217(_ code: String) -> Bool { codes.contains(code) }
}
