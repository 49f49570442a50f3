import Foundation
import MusterAuth
import MusterCore
import MusterHTTP

/// Small pieces every Identity route file uses.
extension IdentityRuntime {
    /// The caller's agency (from the verified token), which `LiveSessionMiddleware` found active.
    /// Read in a transaction of that agency, so that the session check rides in the same
    /// round trip instead of going out alone first.
    func agency(of user: UserPrincipal) async throws -> AgencyRecord {
        let agency = try await db.withAgency(user.agencyID) { tx in try await registry.find(id: user.agencyID, in: tx) }
        guard let agency else { throw HTTPError.unauthorized() }
        return agency
    }

    /// The caller, who must be a platform operator in the `platform` agency (not under a support grant).
    func requireOperator(_ request: HTTPRequest) throws -> UserPrincipal {
        let user = try request.context.requireUser(anyOf: [.platformOperator])
        guard user.agencySlug == AgencySlug.platform.rawValue, user.supportGrantID == nil else {
            throw HTTPError.forbidden("Only platform operators may do this.")
        }
        return user
    }

    /// The caller, who must be one of the agency's admins (never an operator under a support grant).
    func requireAdmin(_ request: HTTPRequest) throws -> UserPrincipal {
        let user = try request.context.requireUser(anyOf: [.agencyAdmin])
        guard user.supportGrantID == nil else { throw HTTPError.forbidden("Support access is read-only.") }
        return user
    }
}

extension HTTPResponse {
    /// The same response marked `Cache-Control: no-store`: it carries tokens, secrets or recovery codes.
    func noStore() -> HTTPResponse {
        var response = self
        response.headers["Cache-Control"] = "no-store"
        return response
    }
}

extension PageRequest<String> {
    /// A list ordered by one unique text key (an email, a slug): the cursor is the last key.
    init(keyedListOf request: HTTPRequest) throws(HTTPError) {
        try self.init(query: request.query) { $0.fields.first }
    }
}
