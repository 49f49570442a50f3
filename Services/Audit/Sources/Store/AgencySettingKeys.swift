import MusterDatabase

/// Audit's settings in each agency's `agency_settings`, with their defaults.
enum AgencySettingKeys {
    /// Whole years the agency's audit trail is kept (``RetentionPolicy``).
    static let retentionYears = AgencySettingKey("retention_years", default: RetentionPolicy.defaultYears)

    /// The agency's retention policy; a stored number out of bounds counts as the standard.
    static func retentionPolicy(in tx: Transaction) async throws -> RetentionPolicy {
        let years = try await tx.setting(retentionYears)
        return (try? RetentionPolicy(years: years)) ?? .standard
    }
}
