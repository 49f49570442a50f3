import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// TOTP enrolment cross-checked with `oathtool` and `pyotp`, the MFA login step,
    /// replay refusal, single-use recovery codes, resets that never bypass MFA.
    @Suite(.serialized) struct MFATests {
        static func oathtool(_ secret: String, at time: Int = Int(Date().timeIntervalSince1970)) throws -> String {
            let result = try Command.run("oathtool", ["--totp", "-b", "--now", "@\(time)", secret])
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        static func pyotp(_ uri: String, at time: Int = Int(Date().timeIntervalSince1970)) throws -> String {
            try Oracle.python("import sys, pyotp; print(pyotp.parse_uri(sys.argv[1]).at(int(sys.argv[2])))", uri, String(time))
        }

        @Test func enrolSignInWithCodesAndRecoveryCodesAndResets() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let user = try await platform.createUser(in: agency, roles: [.officer])

            let started = try api.call("POST", "/api/v1/me/mfa/totp", token: user.accessToken)
            #expect(started.status == 201)
            let secret = try #require(started.json?["secret"] as? String)
            let uri = try #require(started.json?["otpauth_uri"] as? String)
            #expect(uri.hasPrefix("otpauth://totp/Muster:") && uri.contains("issuer=Muster") && uri.contains("digits=6") && uri.contains("period=30"))
            // Codes are taken at fixed times: a 30 s step may end while the test runs.
            let now = Int(Date().timeIntervalSince1970)
            #expect(try Self.pyotp(uri, at: now) == (try Self.oathtool(secret, at: now)), "both oracles read the same secret from the URI and the text")
            let wrong = try api.call("POST", "/api/v1/me/mfa/totp/confirm", token: user.accessToken, json: ["code": "000000"])
            #expect(wrong.status == 422 && wrong.errorCode == "invalid_code")
            let confirmedAt = Int(Date().timeIntervalSince1970)
            let confirmCode = try Self.oathtool(secret, at: confirmedAt)
            let confirmed = try api.call("POST", "/api/v1/me/mfa/totp/confirm", token: user.accessToken, json: ["code": confirmCode])
            let codes = try #require(confirmed.json?["recovery_codes"] as? [String])
            #expect(codes.count == 10 && Set(codes).count == 10)
            #expect(try api.sql("SELECT count(*) FROM \(IdentityAPI.schema(agency.id)).users WHERE totp_secret IS NOT NULL AND position('\(secret)' in encode(totp_secret, 'escape')) = 0") == "1",
                    "the seed is stored sealed")

            let login = try api.login(agency.slug, user.email, user.password)
            #expect(login.json?["mfa_required"] as? Bool == true && login.json?["access_token"] == nil)
            let mfaToken = try #require(login.json?["mfa_token"] as? String)
            let replayed = try api.call("POST", "/api/v1/auth/mfa", json: ["mfa_token": mfaToken, "code": confirmCode])
            #expect(replayed.status == 401 && replayed.errorCode == "invalid_code", "the step used to confirm is not accepted again")
            let nextCode = try Self.pyotp(uri, at: confirmedAt + 30)
            let next = try api.call("POST", "/api/v1/auth/mfa", json: ["mfa_token": mfaToken, "code": nextCode])
            #expect(next.status == 200, "the next step (+1) is accepted: \(next.body)")
            let session = try #require(next.json?["access_token"] as? String)
            #expect(try api.call("POST", "/api/v1/auth/mfa", json: ["mfa_token": mfaToken, "code": nextCode]).status == 401)

            let second = try api.login(agency.slug, user.email, user.password)
            let recovery = try api.call("POST", "/api/v1/auth/mfa", json: ["mfa_token": second.json?["mfa_token"] as? String ?? "", "code": codes[0]])
            #expect(recovery.status == 200)
            let third = try api.login(agency.slug, user.email, user.password)
            let again = try api.call("POST", "/api/v1/auth/mfa", json: ["mfa_token": third.json?["mfa_token"] as? String ?? "", "code": codes[0]])
            #expect(again.status == 401, "a recovery code works once")

            #expect(try api.call("POST", "/api/v1/auth/password-reset", json: ["agency": agency.slug, "email": user.email]).status == 202)
            #expect(try api.call("POST", "/api/v1/auth/password-reset", json: ["agency": agency.slug, "email": "ghost@nowhere.test"]).status == 202)
            let reset = try await platform.latestToken(template: "password_reset", to: user.email)
            let noCode = try api.call("POST", "/api/v1/auth/password-reset/confirm", json: ["token": reset, "new_password": "Brand new lantern harbour 7"])
            #expect(noCode.status == 422 && noCode.errorCode == "mfa_code_required", "a reset never bypasses MFA")
            let withCode = try api.call("POST", "/api/v1/auth/password-reset/confirm",
                                        json: ["token": reset, "new_password": "Brand new lantern harbour 7", "code": codes[1]])
            #expect(withCode.status == 204)
            #expect(try api.call("GET", "/api/v1/me", token: session).status == 401, "a reset ends every session")
            #expect(try api.call("POST", "/api/v1/auth/password-reset/confirm",
                                 json: ["token": reset, "new_password": "Another lantern harbour 8", "code": codes[2]]).status == 400)

            let needsProof = try api.call("POST", "/api/v1/users/\(user.id)/mfa/reset", token: agency.adminToken)
            #expect(needsProof.status == 400)
            let badProof = try api.call("POST", "/api/v1/users/\(user.id)/mfa/reset", token: agency.adminToken, json: ["password": "not mine at all"])
            #expect(badProof.status == 403)
            #expect(try api.call("POST", "/api/v1/users/\(user.id)/mfa/reset", token: agency.adminToken,
                                 json: ["password": Platform.fixturePassword]).status == 204)
            let limited = try api.login(agency.slug, user.email, "Brand new lantern harbour 7")
            let limitedToken = try #require(limited.json?["access_token"] as? String, "no MFA step after a reset: \(limited.body)")
            #expect(try api.call("GET", "/api/v1/me", token: limitedToken).json?["scope"] as? String == "mfa_enrollment")
            #expect(try api.call("GET", "/api/v1/me/sessions", token: limitedToken).errorCode == "mfa_enrollment_required")
            #expect(try api.call("POST", "/api/v1/me/mfa/totp", token: limitedToken).status == 201, "it may enrol again")
            let emails = try api.sql("""
                SELECT string_agg(payload->>'template', ',' ORDER BY created_at) FROM platform.outbox
                WHERE topic = 'emails' AND payload->'recipient'->>'address' = '\(user.email)'
                """)
            #expect(emails == "invitation,mfa_enabled,password_reset,password_changed,mfa_disabled")
        }

        @Test func agencyPolicyRequiresEnrolmentAndFreshAuthenticationGuardsChanges() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let policy = try api.call("PATCH", "/api/v1/agency/settings", token: agency.adminToken,
                                      json: ["mfa_required_roles": ["supervisor"], "session_idle_minutes": 60])
            #expect(policy.status == 200 && policy.json?["mfa_required_roles"] as? [String] == ["supervisor"])
            #expect(try api.call("PATCH", "/api/v1/agency/settings", token: agency.adminToken, json: ["session_max_hours": 100000]).status == 422)
            let supervisor = try await platform.createUser(in: agency, roles: [.supervisor])
            let me = try api.call("GET", "/api/v1/me", token: supervisor.accessToken)
            #expect(me.json?["scope"] as? String == "mfa_enrollment")
            #expect((me.json?["mfa"] as? [String: Any])?["required"] as? Bool == true)
            let officer = try await platform.createUser(in: agency, roles: [.officer])
            #expect(try api.call("GET", "/api/v1/me", token: officer.accessToken).json?["scope"] == nil)
            let requestLine = platform.log(.identity).split(separator: "\n")
                .last { $0.contains("\"message\":\"request\"") && $0.contains("\"path\":\"/api/v1/me\"") }
            #expect(requestLine?.contains("\"agency\":\"\(agency.id)\"") == true, "the request line names the token's agency")

            try Command.psql("UPDATE \(IdentityAPI.schema(agency.id)).sessions SET authenticated_at = now() - interval '10 minutes'",
                             database: platform.databaseName(.identity))
            let stale = try api.call("POST", "/api/v1/me/mfa/totp", token: officer.accessToken)
            #expect(stale.status == 403 && stale.errorCode == "reauthentication_required")
            #expect(try api.call("POST", "/api/v1/me/mfa/totp", token: officer.accessToken, json: ["password": "wrong one entirely"]).status == 403)
            #expect(try api.call("POST", "/api/v1/me/reauthenticate", token: officer.accessToken, json: ["password": officer.password]).status == 204)
            #expect(try api.call("POST", "/api/v1/me/mfa/totp", token: officer.accessToken).status == 201)
        }
    }
}
