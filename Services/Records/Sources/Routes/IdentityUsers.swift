import MusterContracts
import MusterCore
import MusterHTTP

/// Asks Identity about one user of the caller's agency (`GET /internal/agencies/{id}/users/{user_id}`):
/// Records never reads Identity's database.
enum IdentityUsers {
    /// The user, or nil when the agency has no such user.
    static func find(_ user: UserID, agency: AgencyID, services: RecordsRuntime, request: HTTPRequest) async throws -> AgencyUser? {
        try await services.lookup(AgencyUser.self, at: AgencyUser.path(agency, user), of: .identity, request: request)
    }
}
