import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// Vendor access the agency controls, and all-or-nothing CSV imports.
    @Suite(.serialized) struct SupportAndImportTests {
        @Test func operatorsReadUsersOnlyUnderALiveGrantAndEveryReadIsListed() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let ops = try await platform.bootstrapOperator()
            let path = "/api/v1/platform/agencies/\(agency.id)/support-session"

            let refused = try api.call("POST", path, token: ops.accessToken)
            #expect(refused.status == 403 && refused.errorCode == "no_support_grant")
            #expect(try api.call("POST", "/api/v1/agency/support-grants", token: agency.adminToken, json: ["hours": 73, "reason": "x"]).status == 422)
            let grant = try api.call("POST", "/api/v1/agency/support-grants", token: agency.adminToken,
                                     json: ["hours": 2, "reason": "Ticket 4711: import problem"])
            #expect(grant.status == 201)
            let grantID = try #require(grant.json?["id"] as? String)

            let support = try api.call("POST", path, token: ops.accessToken)
            #expect(support.status == 201)
            let token = try #require(support.json?["access_token"] as? String)
            #expect(support.json?["expires_in"] as? Int ?? 0 <= 900)
            let users = try api.call("GET", "/api/v1/users", token: token)
            #expect(users.status == 200 && (users.json?["items"] as? [[String: Any]])?.count == 1)
            #expect(try api.call("GET", "/api/v1/users/\(agency.admin.id)", token: token).status == 200)
            #expect(try api.call("PATCH", "/api/v1/users/\(agency.admin.id)", token: token, json: ["name": "Mallory"]).status == 403, "read-only")
            #expect(try api.call("POST", "/api/v1/users", token: token, json: ["email": "x@y.test", "name": "X", "roles": ["officer"]]).status == 403)

            let listed = try api.call("GET", "/api/v1/agency/support-grants", token: agency.adminToken)
            let uses = ((listed.json?["items"] as? [[String: Any]])?.first?["uses"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(Set(uses) == ["session.started", "users.list", "users.read"])
            let audited = try api.sql("""
                SELECT count(*) FROM platform.outbox WHERE payload->>'action' = 'support.grant.used'
                  AND payload->'actor'->>'support_grant_id' = '\(grantID)' AND payload->>'agency_id' = '\(agency.id)'
                """)
            #expect(audited == "3")

            #expect(try api.call("DELETE", "/api/v1/agency/support-grants/\(grantID)", token: agency.adminToken).status == 204)
            #expect(try api.call("GET", "/api/v1/users", token: token).status == 401, "revoking the grant revokes its sessions")
            #expect(try api.call("POST", path, token: ops.accessToken).status == 403)
            #expect(try api.sql("SELECT count(*) FROM platform.revocations") != "0")
        }

        @Test func csvImportIsAllOrNothingWithAPerRowReport() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let bad = """
                email,name,roles
                ann@\(agency.slug).test,Ann Archer,officer
                not-an-email,Bob,officer
                cid@\(agency.slug).test,"Cid, Jr.",pilot
                \(agency.admin.email),Dup,officer
                """
            let failed = try api.call("POST", "/api/v1/users/import", token: agency.adminToken, body: bad, headers: ["Content-Type": "text/csv"])
            #expect(failed.status == 422)
            let rows = (failed.json?["error"] as? [String: Any])?["rows"] as? [[String: Any]] ?? []
            #expect(rows.compactMap { $0["row"] as? Int } == [3, 4])
            #expect(try api.sql("SELECT count(*) FROM \(IdentityAPI.schema(agency.id)).users") == "1", "nothing was written")

            let taken = try api.call("POST", "/api/v1/users/import", token: agency.adminToken, body: "\(agency.admin.email),Dup,officer\n",
                                     headers: ["Content-Type": "text/csv"])
            #expect(taken.status == 422 && ((taken.json?["error"] as? [String: Any])?["rows"] as? [[String: Any]])?.count == 1)

            let good = "email,name,roles\nann@\(agency.slug).test,Ann Archer,officer\n\"cid@\(agency.slug).test\",\"Cid, Jr.\",officer;supervisor\n"
            let imported = try api.call("POST", "/api/v1/users/import", token: agency.adminToken, body: good,
                                        headers: ["Content-Type": "text/csv", "Idempotency-Key": "import-1"])
            #expect(imported.status == 201 && imported.json?["imported"] as? Int == 2)
            let replay = try api.call("POST", "/api/v1/users/import", token: agency.adminToken, body: good,
                                      headers: ["Content-Type": "text/csv", "Idempotency-Key": "import-1"])
            #expect(replay.status == 201 && replay.headers["idempotent-replayed"] == "true")
            let cid = try api.call("GET", "/api/v1/users?q=cid", token: agency.adminToken)
            let found = (cid.json?["items"] as? [[String: Any]])?.first
            #expect(found?["name"] as? String == "Cid, Jr." && found?["roles"] as? [String] == ["officer", "supervisor"])
            #expect(found?["status"] as? String == "invited")
            let page = try api.call("GET", "/api/v1/users?limit=2&status=invited", token: agency.adminToken)
            #expect((page.json?["items"] as? [[String: Any]])?.count == 2 && page.json?["next_cursor"] is String)
            let rest = try api.call("GET", "/api/v1/users?limit=2&status=invited&cursor=\(page.json?["next_cursor"] as? String ?? "")",
                                    token: agency.adminToken)
            #expect((rest.json?["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await platform.acceptInvitation(email: "ann@\(agency.slug).test", agency: agency.slug).email.hasPrefix("ann@"))
        }
    }
}
