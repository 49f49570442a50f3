import MusterAuth
import MusterCore

/// `GET /internal/agencies/{id}/users/{user_id}` on Identity (service credential; Records
/// calls it): one user of the agency with their status and roles, so that Records can
/// check a supervisor it assigns or a login it links to a person. An unknown agency or
/// user is `404`.
///
/// ```swift
/// let response = try await context.peers.send(.identity, .get, AgencyUser.path(agency, user))
/// let user = try JSONCoding.decode(AgencyUser.self, from: response.body)
/// user.status == "active" && user.roles.contains(.supervisor)
/// ```
public struct AgencyUser: Codable, Sendable, Equatable {
    public static func path(_ agency: AgencyID, _ user: UserID) -> String { "/internal/agencies/\(agency)/users/\(user)" }

    public var id: UserID
    public var email: String
    public var name: String
    /// `invited`, `active` or `deactivated`.
    public var status: String
    public var roles: [Role]

    public init(id: UserID, email: String, name: String, status: String, roles: [Role]) {
        self.id = id
        self.email = email
        self.name = name
        self.status = status
        self.roles = roles
    }
}
