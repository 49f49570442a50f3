import MusterContracts
import MusterCore
import MusterHTTP
import MusterHTTPClient
import MusterService

/// Asks Identity about one user of the caller's agency (`GET /internal/agencies/{id}/users/{user_id}`):
/// Records never reads Identity's database.
enum IdentityUsers {
    /// The user, or nil when the agency has no such user.
    static func find(_ user: UserID, agency: AgencyID, services: RecordsRuntime, request: HTTPRequest) async throws -> AgencyUser? {
        let response: HTTPClientResponse
        do {
            response = try await services.peers.send(.identity, .get, AgencyUser.path(agency, user), requestID: request.id)
        } catch {
            request.context.logger.warning("identity unreachable", ["error": "\(error)"])
            throw HTTPError.unavailable(retryAfter: 2, message: "Identity could not be reached; try again shortly.")
        }
        if response.status == .notFound { return nil }
        guard response.isSuccess else {
            throw HTTPError.unavailable(retryAfter: 2, message: "Identity could not check the user; try again shortly.")
        }
        return try JSONCoding.decode(AgencyUser.self, from: response.body)
    }
}
