/// One setting of an agency, as a typed key: its name in the agency's
/// `agency_settings` table (`Migrations/Includes/agency/agency_settings.sql`),
/// the type of its value (stored as `jsonb`, Muster's JSON conventions) and
/// the value an agency has until it chooses its own.
///
/// A service declares all its keys in one place, its `AgencySettingKeys`, and
/// reads and writes them inside the agency's transaction (``Transaction/setting(_:)``):
///
/// ```swift
/// enum AgencySettingKeys {
///     static let timeZone = AgencySettingKey("time_zone", default: "America/Chicago")
///     static let reminderThresholds = AgencySettingKey("reminder_thresholds", default: [90, 60, 30])
///     static let reminderHour = AgencySettingKey("reminder_hour", default: 8)
/// }
///
/// let zone = try await pool.withAgency(agency) { tx in try await tx.setting(AgencySettingKeys.timeZone) }
/// ```
public struct AgencySettingKey<Value: Codable & Sendable>: Sendable {
    /// The row's key: lower-case letters, digits and `_`, starting with a letter (the table's `CHECK`).
    public let name: String
    /// The value while the agency has none stored.
    public let defaultValue: Value

    /// `name` is a literal, checked once here against the table's rule.
    public init(_ name: StaticString, default defaultValue: Value) {
        let text = name.description
        precondition(Self.isValid(text), "agency setting key \(text) must match ^[a-z][a-z0-9_]{0,62}$")
        self.name = text
        self.defaultValue = defaultValue
    }

    private static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), name.utf8.count <= 63 else { return false }
        return name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }
}
