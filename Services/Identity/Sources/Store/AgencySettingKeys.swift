import MusterDatabase

/// Identity's settings in each agency's `agency_settings`, with their defaults.
enum AgencySettingKeys {
    /// The agency's identity policy (``AgencySettings``: MFA per role, session lifetimes), one JSON object.
    static let policy = AgencySettingKey("identity", default: AgencySettings.defaults)
}
