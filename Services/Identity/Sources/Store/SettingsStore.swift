import MusterDatabase

/// The agency's identity policy, one `agency_settings` row (`identity`).
enum SettingsStore {
    private static let key = "identity"

    static func load(in tx: Transaction) async throws -> AgencySettings {
        try await tx.query("SELECT value FROM agency_settings WHERE key = \(key)").first?
            .decode("value", as: JSONB<AgencySettings>.self).value ?? .defaults
    }

    static func save(_ settings: AgencySettings, in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO agency_settings (key, value) VALUES (\(key), \(try JSONB(settings)))
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
            """)
    }
}
