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

        /// The web app's transport: the refresh token only as an `HttpOnly; Secure; SameSite=Strict`
        /// cookie on the refresh path, refreshed with no body from the platform's origin only.
        @Test func theWebAppsRefreshTokenIsACookieRefreshedFromItsOwnOriginOnly() async throws {
            let site = "https://muster.example"
            let platform = try await Platform.start([.identity], extraEnvironment: ["MUSTER_PUBLIC_URL": site + "/"])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let officer = try await platform.createUser(in: agency, roles: [.officer])
            let credentials = ["agency": agency.slug, "email": officer.email, "password": officer.password]
            let cookieName = "__Secure-muster-refresh"
            func cookie(_ response: CurlResponse) throws -> String {
                let field = try #require(response.headers["set-cookie"])
                #expect(field.hasSuffix("; Path=/api/v1/auth/refresh; HttpOnly; Secure; SameSite=Strict"), "\(field)")
                return try #require(field.split(separator: ";").first.map { String($0.dropFirst(cookieName.count + 1)) })
            }

            let web = try api.call("POST", "/api/v1/auth/login", json: credentials, headers: ["Refresh-Token-Transport": "cookie"])
            #expect(web.status == 200 && web.json?["access_token"] is String && web.json?["refresh_token"] == nil)
            let first = try cookie(web)
            #expect(first.hasPrefix("rt_") || first.count > 20)

            let plain = try api.login(agency.slug, officer.email, officer.password)
            #expect(plain.json?["refresh_token"] is String && plain.headers["set-cookie"] == nil, "API clients keep the JSON pair")

            let jar = ["Cookie": "theme=dark; \(cookieName)=\(first)"]
            for origin in [nil, "https://evil.example", "http://muster.example", "https://muster.example.evil.test"] {
                var headers = jar
                headers["Origin"] = origin
                let refused = try api.call("POST", "/api/v1/auth/refresh", headers: headers)
                #expect(refused.status == 403 && refused.errorCode == "origin_not_allowed", "\(origin ?? "no Origin")")
            }
            let refreshed = try api.call("POST", "/api/v1/auth/refresh", headers: jar.merging(["Origin": site]) { $1 })
            #expect(refreshed.status == 200 && refreshed.json?["refresh_token"] == nil)
            let access = try #require(refreshed.json?["access_token"] as? String)
            let second = try cookie(refreshed)
            #expect(second != first)
            #expect(try api.call("GET", "/api/v1/me", token: access).status == 200)

            let reused = try api.call("POST", "/api/v1/auth/refresh", headers: jar.merging(["Origin": site]) { $1 })
            #expect(reused.status == 401, "the rotated cookie is dead, and its reuse ends the session")
            #expect(try api.call("GET", "/api/v1/me", token: access).status == 401)

            let again = try api.call("POST", "/api/v1/auth/login", json: credentials, headers: ["Refresh-Token-Transport": "cookie"])
            let out = try api.call("POST", "/api/v1/auth/logout", token: try #require(again.json?["access_token"] as? String))
            #expect(out.status == 204)
            #expect(out.headers["set-cookie"] == "\(cookieName)=; Path=/api/v1/auth/refresh; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
            let afterLogout = try api.call("POST", "/api/v1/auth/refresh", headers: ["Cookie": "\(cookieName)=\(try cookie(again))", "Origin": site])
            #expect(afterLogout.status == 401)
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
