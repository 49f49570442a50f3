import MusterDatabase
import MusterTime

/// The agency's settings Records keeps (`agency_settings`, one row per key), read and
/// written inside the agency's transaction.
///
/// ```swift
/// let zone = try await RecordsSettings.timeZone(in: tx)        // America/Chicago until set
/// try await RecordsSettings.setTimeZone(AgencyTimeZone("America/Denver")!, in: tx)
/// ```
enum RecordsSettings {
    /// The agency's time zone (setting `time_zone`, default America/Chicago): what "today" is for `completed_on`.
    static func timeZone(in tx: Transaction) async throws -> AgencyTimeZone {
        guard let row = try await tx.query("SELECT value FROM agency_settings WHERE key = 'time_zone'").first,
              let zone = AgencyTimeZone(try row.decode("value", as: JSONB<String>.self).value) else { return .default }
        return zone
    }

    static func setTimeZone(_ zone: AgencyTimeZone, in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO agency_settings (key, value) VALUES ('time_zone', \(try JSONB(zone.identifier)))
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
            """)
    }
}
