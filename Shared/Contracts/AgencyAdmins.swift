import MusterCore

/// `GET /internal/agencies/{id}/admins` on Identity (service credential; Audit calls
/// it): the agency's active `agency_admin` users, for mail that must reach them,
/// e.g. Audit's weekly checkpoint email. An unknown agency is `404`.
///
/// ```swift
/// let response = try await context.peers.send(.identity, .get, AgencyAdmins.path(agency))
/// let admins = try JSONCoding.decode(AgencyAdmins.self, from: response.body).admins
/// ```
public struct AgencyAdmins: Codable, Sendable, Equatable {
    public static func path(_ agency: AgencyID) -> String { "/internal/agencies/\(agency)/admins" }

    public var agencyID: AgencyID
    public var admins: [EmailRecipient]

    public init(agencyID: AgencyID, admins: [EmailRecipient]) {
        self.agencyID = agencyID
        self.admins = admins
    }
}
