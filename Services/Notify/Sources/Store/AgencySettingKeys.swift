import MusterDatabase

/// Notify's settings in each agency's `agency_settings`, with their defaults.
enum AgencySettingKeys {
    /// The agency's name and slug, recorded at provisioning (absent for agencies
    /// provisioned before Notify kept them).
    static let agency = AgencySettingKey<AgencyNaming?>("agency", default: nil)
    /// The Reply-To the agency's admins chose, a bare address.
    static let replyTo = AgencySettingKey<String?>("reply_to", default: nil)
}

/// How an agency is named, as Identity provisioned it.
struct AgencyNaming: Codable, Sendable, Equatable {
    var name: String
    var slug: String
}
