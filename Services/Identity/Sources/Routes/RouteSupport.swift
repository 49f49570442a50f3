import Foundation
import MusterCore
import MusterHTTP

/// Small pieces every Identity route file uses.
extension IdentityRuntime {
    /// The caller's agency (from the verified token), which `LiveSessionMiddleware` found active.
    func agency(of user: UserPrincipal) async throws -> AgencyRecord {
        guard let agency = try await registry.find(id: user.agencyID) else { throw HTTPError.unauthorized() }
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

/// `limit` (1–200, default 50) and an opaque `cursor` from the query string.
struct PageRequest {
    let limit: Int
    let after: String?

    init(_ request: HTTPRequest) throws {
        let query = request.query
        if let text = query["limit"] {
            guard let limit = Int(text), (1...200).contains(limit) else {
                throw HTTPError.badRequest("limit must be an integer from 1 to 200.", code: "invalid_limit")
            }
            self.limit = limit
        } else {
            limit = 50
        }
        if let cursor = query["cursor"] {
            guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8) else {
                throw HTTPError.badRequest("The cursor is not one this API gave out.", code: "invalid_cursor")
            }
            after = text
        } else {
            after = nil
        }
    }

    /// The cursor for the page after one ending at `key`, when the page was full.
    func nextCursor(count: Int, lastKey: String?) -> String? {
        guard count == limit, let lastKey else { return nil }
        return Data(lastKey.utf8).base64EncodedString()
    }
}

/// `{"items":[…],"next_cursor":…|null}`.
struct Page<Item: Encodable>: Encodable {
    let items: [Item]
    let nextCursor: String?

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    private enum CodingKeys: String, CodingKey { case items, nextCursor }
}
