import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// Refresh rotation with theft detection, logout, session listing, deactivation.
    @Suite(.serialized) struct SessionTests {
        @Test func refreshRotatesAndReuseRevokesTheWholeSession() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let first = agency.admin.session

            let rotated = try api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": first.refreshToken])
            #expect(rotated.status == 200)
            let second = try #require(rotated.json?["refresh_token"] as? String)
            let access = try #require(rotated.json?["access_token"] as? String)
            #expect(second != first.refreshToken)
            #expect(rotated.json?["token_type"] as? String == "Bearer" && rotated.json?["expires_in"] as? Int == 900)

            let reused = try api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": first.refreshToken])
            #expect(reused.status == 401, "the old refresh token is dead")
            let afterTheft = try api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": second])
            #expect(afterTheft.status == 401, "presenting a dead token revoked the whole session")
            #expect(try api.call("GET", "/api/v1/me", token: access).status == 401)
            let events = try api.sql("""
                SELECT count(*) FROM platform.outbox WHERE payload->>'action' = 'auth.session.revoked' AND payload->>'reason' = 'refresh_token_reuse'
                """)
            #expect(events == "1")
        }

        @Test func sessionsAreListedAndEndedAndDeactivationEndsThemAll() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let officer = try await platform.createUser(in: agency, roles: [.officer])
            let other = try platform.login(agency: agency.slug, email: officer.email, password: officer.password)

            let list = try api.call("GET", "/api/v1/me/sessions", token: officer.accessToken)
            let items = try #require(list.json?["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.filter { $0["current"] as? Bool == true }.count == 1)
            let otherID = try #require(items.first { $0["current"] as? Bool == false }?["id"] as? String)
            #expect(try api.call("DELETE", "/api/v1/me/sessions/\(otherID)", token: officer.accessToken).status == 204)
            #expect(try api.call("GET", "/api/v1/me", token: other.accessToken).status == 401)
            #expect(try api.call("DELETE", "/api/v1/me/sessions/\(otherID)", token: officer.accessToken).status == 404)

            #expect(try api.call("POST", "/api/v1/auth/logout", token: other.accessToken).status == 401)
            let deactivated = try api.call("POST", "/api/v1/users/\(officer.id)/deactivate", token: agency.adminToken)
            #expect(deactivated.status == 200 && deactivated.json?["status"] as? String == "deactivated")
            #expect(try api.call("GET", "/api/v1/me", token: officer.accessToken).status == 401, "its access token is refused")
            #expect(try api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": officer.session.refreshToken]).status == 401)
            #expect(try api.login(agency.slug, officer.email, officer.password).errorCode == "invalid_credentials")

            let lastAdmin = try api.call("POST", "/api/v1/users/\(agency.admin.id)/deactivate", token: agency.adminToken)
            #expect(lastAdmin.status == 422 && lastAdmin.errorCode == "last_admin")
            let demote = try api.call("PATCH", "/api/v1/users/\(agency.admin.id)", token: agency.adminToken, json: ["roles": ["officer"]])
            #expect(demote.status == 422 && demote.errorCode == "last_admin")
            #expect(try api.call("POST", "/api/v1/users/\(officer.id)/reactivate", token: agency.adminToken).status == 200)
            #expect(try api.login(agency.slug, officer.email, officer.password).status == 200)

            let logout = try api.call("POST", "/api/v1/auth/logout", token: agency.adminToken)
            #expect(logout.status == 204)
            #expect(try api.call("GET", "/api/v1/me", token: agency.adminToken).status == 401)
        }
    }
}
