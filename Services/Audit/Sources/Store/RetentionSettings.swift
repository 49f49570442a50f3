import MusterDatabase

/// An agency's retention setting, in its `agency_settings` (`retention_years`).
enum RetentionSettings {
    static func policy(in tx: Transaction) async throws -> RetentionPolicy {
        let rows = try await tx.query("SELECT value::text AS value FROM agency_settings WHERE key = \(RetentionPolicy.settingKey)")
        guard let text = try rows.first?.decode("value", as: String.self), let years = Int(text),
              let policy = try? RetentionPolicy(years: years) else { return .standard }
        return policy
    }

    static func store(_ policy: RetentionPolicy, in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO agency_settings (key, value) VALUES (\(RetentionPolicy.settingKey), to_jsonb(\(policy.years)))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
            """)
    }
}
