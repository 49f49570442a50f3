import MusterAuth
import MusterCore

/// `GET /internal/agencies/{id}/admins[?role=coordinator]` on Identity (service credential;
/// Audit and Notify call it): the agency's active `agency_admin` users (or those of
/// `role`), for mail that must reach them, e.g. Audit's weekly checkpoint email or
/// Notify's weekly reminder digest. An unknown agency is `404`.
///
/// ```swift
/// let response = try await context.peers.send(.identity, .get, AgencyAdmins.path(agency))
/// let admins = try JSONCoding.decode(AgencyAdmins.self, from: response.body).admins
/// ```
public struct AgencyAdmins: Codable, Sendable, Equatable {
    public static func path(_ agency: AgencyID, role: Role = .agencyAdmin) -> String {
        role == .agencyAdmin ? "/internal/agencies/\(agency)/admins" : "/internal/agencies/\(agency)/admins?role=\(role.rawValue)"
    }

    public var agencyID: AgencyID
    public var admins: [EmailRecipient]

    public init(agencyID: AgencyID, admins: [EmailRecipient]) {
        self.agencyID = agencyID
        self.admins = admins
    }
}
