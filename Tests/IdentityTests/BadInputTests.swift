import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// Bad input on every route: a clear 4xx, never a crash, nothing written.
    @Suite(.serialized) struct BadInputTests {
        @Test func everyRouteAnswersBadInputWithA4xxAndWritesNothing() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let ops = try await platform.bootstrapOperator()
            let user = agency.admin.id
            let routes: [(method: String, path: String, token: String?)] = [
                ("POST", "/api/v1/auth/login", nil), ("POST", "/api/v1/auth/mfa", nil), ("POST", "/api/v1/auth/refresh", nil),
                ("POST", "/api/v1/auth/invitations/accept", nil), ("POST", "/api/v1/auth/password-reset", nil),
                ("POST", "/api/v1/auth/password-reset/confirm", nil),
                ("POST", "/api/v1/users", agency.adminToken), ("PATCH", "/api/v1/users/\(user)", agency.adminToken),
                ("POST", "/api/v1/users/\(user)/mfa/reset", agency.adminToken), ("POST", "/api/v1/me/password", agency.adminToken),
                ("POST", "/api/v1/me/mfa/totp/confirm", agency.adminToken), ("POST", "/api/v1/me/reauthenticate", agency.adminToken),
                ("PATCH", "/api/v1/agency/settings", agency.adminToken), ("POST", "/api/v1/agency/support-grants", agency.adminToken),
                ("POST", "/api/v1/platform/agencies", ops.accessToken),
            ]
            let before = try counts(api)
            let overlong = String(repeating: "a", count: 300) + "@x.test"
            let invalidUTF8 = "/tmp/muster-invalid-utf8-\(platform.suffix).json"
            try Data([0x7B, 0x22, 0x65, 0x6D, 0x61, 0x69, 0x6C, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]).write(to: URL(fileURLWithPath: invalidUTF8))
            let huge = "/tmp/muster-huge-\(platform.suffix).json"
            try Data(("{\"email\":\"" + String(repeating: "x", count: 10 << 20) + "\"}").utf8).write(to: URL(fileURLWithPath: huge))
            defer {
                try? FileManager.default.removeItem(atPath: invalidUTF8)
                try? FileManager.default.removeItem(atPath: huge)
            }
            for route in routes {
                let auth = route.token.map { ["Authorization": "Bearer \($0)", "Content-Type": "application/json"] } ?? ["Content-Type": "application/json"]
                let bodies: [(String, [String])] = [
                    ("{}", []), ("[1,2]", []), ("not json", []),
                    ("{\"email\":42,\"password\":[],\"roles\":\"x\",\"hours\":\"2\",\"name\":7,\"mfa_required_roles\":\"x\"}", []),
                    ("{\"email\":\"\(overlong)\",\"admin_email\":\"\(overlong)\",\"name\":\"n\",\"roles\":[\"officer\"],\"slug\":\"ok-slug\",\"admin_name\":\"n\"}", []),
                    ("", ["--data-binary", "@\(invalidUTF8)"]), ("", ["--data-binary", "@\(huge)"]),
                ]
                // An empty PATCH is a valid no-op, so PATCH routes get only the malformed bodies.
                for (body, extra) in bodies where route.method != "PATCH" || !(body == "{}" || body.contains(overlong)) {
                    let response = try Curl.request(route.method, api.base + route.path, headers: auth, body: extra.isEmpty ? body : nil, extra: extra)
                    #expect((400..<500).contains(response.status), "\(route.method) \(route.path) with \(body.prefix(40))\(extra.last ?? "") answered \(response.status)")
                    #expect(response.status == 413 || response.errorCode != nil, "\(route.path): a uniform error body")
                }
            }
            #expect(try counts(api) == before, "nothing was written")
            #expect(try api.call("GET", "/api/v1/users?limit=500", token: agency.adminToken).status == 400)
            #expect(try api.call("GET", "/api/v1/users?cursor=!!!", token: agency.adminToken).status == 400)
            #expect(try api.call("PATCH", "/api/v1/users/\(user)", token: agency.adminToken, json: ["roles": "officer"]).status == 400)
            #expect(try api.call("PATCH", "/api/v1/users/\(user)", token: agency.adminToken, json: ["roles": ["sheriff"]]).status == 422)
            #expect(try api.call("PATCH", "/api/v1/agency/settings", token: agency.adminToken, json: ["session_idle_minutes": "x"]).status == 400)
            #expect(try api.call("GET", "/api/v1/users/not-a-uuid", token: agency.adminToken).status == 404)
            #expect(try api.call("GET", "/api/v1/me", token: "garbage").status == 401)
            #expect(platform.process(.identity)?.isRunning == true)
        }

        /// Rows that a bad request could have written: users, sessions, tokens, agencies, outbox.
        private func counts(_ api: IdentityAPI) throws -> String {
            try api.sql("""
                SELECT (SELECT count(*) FROM platform.agencies) || ',' || (SELECT count(*) FROM platform.outbox) || ',' ||
                       (SELECT count(*) FROM platform.signing_keys)
                """)
        }
    }
}
