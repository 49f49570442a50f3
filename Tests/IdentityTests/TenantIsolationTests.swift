import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// Another agency's id is always `404`, on every route that takes a user id.
    @Suite(.serialized) struct TenantIsolationTests {
        @Test func agencyAsAdminGets404ForEveryAgencyBUserOnEveryRoute() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let a = try await platform.createAgency()
            let b = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let bUser = try await platform.createUser(in: b, roles: [.officer])
            let routes: [(String, String, [String: Any]?)] = [
                ("GET", "/api/v1/users/\(bUser.id)", nil),
                ("PATCH", "/api/v1/users/\(bUser.id)", ["name": "Renamed"]),
                ("POST", "/api/v1/users/\(bUser.id)/deactivate", nil),
                ("POST", "/api/v1/users/\(bUser.id)/reactivate", nil),
                ("POST", "/api/v1/users/\(bUser.id)/invitation", nil),
                ("POST", "/api/v1/users/\(bUser.id)/unlock", nil),
                ("POST", "/api/v1/users/\(bUser.id)/mfa/reset", ["password": Platform.fixturePassword]),
                ("DELETE", "/api/v1/me/sessions/\(bUser.id)", nil),
                ("DELETE", "/api/v1/agency/support-grants/\(bUser.id)", nil),
            ]
            for (method, path, json) in routes {
                let response = try api.call(method, path, token: a.adminToken, json: json)
                #expect(response.status == 404, "\(method) \(path) answered \(response.status) \(response.body)")
            }
            let listed = try api.call("GET", "/api/v1/users?limit=200", token: a.adminToken)
            let emails = (listed.json?["items"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
            #expect(emails == [a.admin.email], "A sees only its own users")
            let still = try api.call("GET", "/api/v1/users/\(bUser.id)", token: b.adminToken)
            #expect(still.json?["name"] as? String == "Test User" && still.json?["status"] as? String == "active")
        }
    }
}
