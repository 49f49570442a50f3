import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// `auth_time` in every access token, read by pyjwt after it checks the signature
    /// against Identity's JWKS: set at sign-in, kept by refresh, renewed by
    /// `POST /api/v1/auth/reauthenticate` (password or TOTP code), whose failures
    /// are counted and throttled like a login's.
    @Suite(.serialized) struct ReauthenticationTests {
        /// The verified claims of `token` (signature, `alg`, `aud`, `iss` checked by pyjwt).
        static func claims(_ token: String, platform: Platform) throws -> [String: Any] {
            let jwks = try Curl.request("GET", platform.url(.identity) + "/.well-known/jwks.json").body
            let json = try Oracle.python("""
                import sys, json, jwt
                token, jwks = sys.argv[1], json.loads(sys.argv[2])
                kid = jwt.get_unverified_header(token)["kid"]
                [jwk] = [k for k in jwks["keys"] if k["kid"] == kid]
                print(json.dumps(jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["EdDSA"], audience="muster-api", issuer="muster-identity")))
                """, token, jwks)
            return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        }

        static var now: Int { Int(Date().timeIntervalSince1970) }

        @Test func authTimeIsSetAtSignInKeptByRefreshAndRenewedByAPassword() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let before = Self.now
            let officer = try await platform.createUser(in: agency, roles: [.officer])
            let signedIn = try Self.claims(officer.accessToken, platform: platform)
            let authTime = try #require(signedIn["auth_time"] as? Int, "every access token says when: \(signedIn)")
            #expect(authTime >= before && authTime <= Self.now)

            let schema = IdentityAPI.schema(agency.id)
            _ = try api.sql("UPDATE \(schema).sessions SET authenticated_at = to_timestamp(\(authTime - 600))")
            let refreshed = try api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": officer.session.refreshToken])
            let refreshedToken = try #require(refreshed.json?["access_token"] as? String)
            let kept = try Self.claims(refreshedToken, platform: platform)
            #expect(kept["auth_time"] as? Int == authTime - 600, "a refresh proves nothing: it keeps the session's time")
            #expect((kept["iat"] as? Int ?? 0) >= authTime)

            let wrong = try api.call("POST", "/api/v1/auth/reauthenticate", token: refreshedToken, json: ["password": "not the password at all"])
            let error = wrong.json?["error"] as? [String: Any]
            #expect(wrong.status == 401 && error?["code"] as? String == "invalid_credentials" && error?["message"] is String
                    && (error?["request_id"] as? String)?.isEmpty == false, "\(wrong.body)")
            #expect(try api.sql("SELECT failures FROM \(schema).login_attempts WHERE email = '\(officer.email)'") == "1",
                    "a wrong password counts like a failed login")

            let started = Self.now
            let renewed = try api.call("POST", "/api/v1/auth/reauthenticate", token: refreshedToken, json: ["password": officer.password])
            #expect(renewed.status == 200 && renewed.headers["cache-control"]?.contains("no-store") == true, "\(renewed.body)")
            #expect(renewed.json?["token_type"] as? String == "Bearer" && renewed.json?["expires_in"] as? Int == 900)
            #expect(renewed.json?["refresh_token"] == nil, "the session keeps its refresh token")
            let fresh = try Self.claims(try #require(renewed.json?["access_token"] as? String), platform: platform)
            #expect((fresh["auth_time"] as? Int ?? 0) >= started && (fresh["auth_time"] as? Int ?? .max) <= Self.now)
            #expect(fresh["sid"] as? String == kept["sid"] as? String && fresh["sub"] as? String == officer.id)
            #expect(fresh["roles"] as? [String] == ["officer"] && fresh["amr"] as? [String] == ["pwd"])
            #expect(try api.sql("SELECT count(*) FROM \(schema).login_attempts WHERE email = '\(officer.email)'") == "0",
                    "a success clears the pair's count, as a login's does")

            let again = try api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": try #require(refreshed.json?["refresh_token"] as? String)])
            let afterRenewal = try Self.claims(try #require(again.json?["access_token"] as? String), platform: platform)
            #expect(afterRenewal["auth_time"] as? Int == fresh["auth_time"] as? Int, "refresh now keeps the renewed time")

            let events = try api.sql("""
                SELECT string_agg(payload->>'action' || ':' || coalesce(payload->>'reason', ''), ',' ORDER BY created_at) FROM platform.outbox
                WHERE payload->>'action' LIKE 'auth.reauthentication.%'
                """)
            #expect(events == "auth.reauthentication.failed:wrong_password,auth.reauthentication.succeeded:password")
            #expect(!platform.log(.identity).contains(officer.password), "no password is logged")
        }

        @Test func wrongAnswersAreThrottledAndBadRequestsRefused() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let officer = try await platform.createUser(in: agency, roles: [.officer])

            #expect(try api.call("POST", "/api/v1/auth/reauthenticate", json: ["password": officer.password]).status == 401, "a token is needed")
            for body: [String: Any] in [[:], ["password": officer.password, "code": "123456"], ["password": 5]] {
                let refused = try api.call("POST", "/api/v1/auth/reauthenticate", token: officer.accessToken, json: body)
                #expect(refused.status == 400 && refused.errorCode != nil, "\(body): \(refused.body)")
            }
            var seen: [String] = []
            for _ in 0..<6 {
                let response = try api.call("POST", "/api/v1/auth/reauthenticate", token: officer.accessToken,
                                            json: ["password": "still the wrong one"], from: "127.0.0.4")
                seen.append("\(response.status) \(response.errorCode ?? "")")
            }
            #expect(seen == Array(repeating: "401 invalid_credentials", count: 5) + ["429 rate_limited"])
            let blocked = try api.call("POST", "/api/v1/auth/reauthenticate", token: officer.accessToken,
                                       json: ["password": officer.password], from: "127.0.0.4")
            #expect(blocked.status == 429 && Int(blocked.headers["retry-after"] ?? "") ?? 0 >= 30, "the throttled pair waits, right password or not")
            #expect(try api.call("POST", "/api/v1/auth/reauthenticate", token: officer.accessToken,
                                 json: ["password": officer.password], from: "127.0.0.5").status == 200)
            #expect(try api.call("POST", "/api/v1/auth/reauthenticate", token: officer.accessToken, json: ["code": "123456"]).status == 401,
                    "without MFA there is no code to give")
        }

        @Test func aTOTPCodeRenewsAuthTimeOnceOnly() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let officer = try await platform.createUser(in: agency, roles: [.officer])
            let started = try api.call("POST", "/api/v1/me/mfa/totp", token: officer.accessToken)
            let secret = try #require(started.json?["secret"] as? String)
            let uri = try #require(started.json?["otpauth_uri"] as? String)
            let enrolledAt = Self.now
            let confirmed = try api.call("POST", "/api/v1/me/mfa/totp/confirm", token: officer.accessToken,
                                         json: ["code": try MFATests.oathtool(secret, at: enrolledAt)])
            #expect(confirmed.status == 200)

            // The next step: the one used to confirm is spent.
            let code = try MFATests.pyotp(uri, at: enrolledAt + 30)
            let before = Self.now
            let renewed = try api.call("POST", "/api/v1/auth/reauthenticate", token: officer.accessToken, json: ["code": code])
            #expect(renewed.status == 200, "\(renewed.body)")
            let claims = try Self.claims(try #require(renewed.json?["access_token"] as? String), platform: platform)
            #expect((claims["auth_time"] as? Int ?? 0) >= before)
            let replay = try api.call("POST", "/api/v1/auth/reauthenticate", token: officer.accessToken, json: ["code": code])
            #expect(replay.status == 401 && replay.errorCode == "invalid_credentials", "a code is accepted once")
            #expect(try api.sql("""
                SELECT string_agg(payload->>'reason', ',' ORDER BY created_at) FROM platform.outbox
                WHERE payload->>'action' LIKE 'auth.reauthentication.%'
                """) == "totp,wrong_code")
        }
    }
}
