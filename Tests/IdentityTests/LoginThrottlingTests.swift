import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// Brute force without a lockout weapon: counted per account and address before
    /// the password is checked, unknown accounts alike, other addresses unaffected.
    @Suite(.serialized) struct LoginThrottlingTests {
        @Test func knownAndUnknownAccountsAreThrottledAlikeWhileAnotherAddressStillSignsIn() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let known = agency.admin.email, unknown = "nobody@\(agency.slug).test"

            var sequences: [[String]] = []
            for email in [known, unknown] {
                var seen: [String] = []
                for _ in 0..<6 {
                    let started = ContinuousClock.now
                    let response = try api.login(agency.slug, email, "wrong password for sure", from: "127.0.0.2")
                    seen.append("\(response.status) \(response.errorCode ?? "")")
                    if response.status == 401 {
                        #expect(started.duration(to: .now) > .milliseconds(150), "a failure costs a real scrypt hash, known or not")
                    } else {
                        #expect(response.status == 429)
                        #expect(Int(response.headers["retry-after"] ?? "") ?? 0 >= 30)
                    }
                }
                sequences.append(seen)
            }
            #expect(sequences[0] == sequences[1], "an unknown email is answered exactly like a known one")
            #expect(sequences[0] == Array(repeating: "401 invalid_credentials", count: 5) + ["429 rate_limited"])

            let blocked = try api.login(agency.slug, known, Platform.fixturePassword, from: "127.0.0.2")
            #expect(blocked.status == 429, "the throttled address waits, even with the right password")
            let elsewhere = try api.login(agency.slug, known, Platform.fixturePassword, from: "127.0.0.3")
            #expect(elsewhere.status == 200, "the real user from another address still signs in")

            let locks = try api.call("GET", "/api/v1/agency/locks", token: elsewhere.json?["access_token"] as? String)
            let throttled = locks.json?["throttled"] as? [[String: Any]] ?? []
            #expect(throttled.contains { $0["email"] as? String == known && $0["address"] as? String == "127.0.0.2" })
            let wrongAgency = try api.login("no-such-agency", known, Platform.fixturePassword, from: "127.0.0.3")
            #expect(wrongAgency.status == 401 && wrongAgency.errorCode == "invalid_credentials")
        }

        @Test func theHundredthConsecutiveFailureLocksTheAccountAndTellsTheAdmins() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let officer = try await platform.createUser(in: agency, roles: [.officer])
            let schema = IdentityAPI.schema(agency.id)
            // 99 failures from 99 addresses, as a distributed attack would leave them.
            _ = try api.sql("INSERT INTO \(schema).account_failures (email, failures) VALUES ('\(officer.email)', 99)")
            #expect(try api.login(agency.slug, officer.email, "the hundredth guess", from: "127.0.0.6").status == 401)
            #expect(try api.login(agency.slug, officer.email, officer.password, from: "127.0.0.7").errorCode == "invalid_credentials",
                    "a locked account refuses even the right password, and says nothing more")
            let notice = try api.sql("""
                SELECT payload->'recipient'->>'address' || ' ' || (payload->'data'->>'locked_email') FROM platform.outbox
                WHERE payload->>'template' = 'account_locked'
                """)
            #expect(notice == "\(agency.admin.email) \(officer.email)")
            let locks = try api.call("GET", "/api/v1/agency/locks", token: agency.adminToken)
            #expect((locks.json?["locked"] as? [[String: Any]])?.first?["email"] as? String == officer.email)
            #expect(try api.call("GET", "/api/v1/users/\(officer.id)", token: agency.adminToken).json?["locked"] as? Bool == true)
            let unlocked = try api.call("POST", "/api/v1/users/\(officer.id)/unlock", token: agency.adminToken)
            #expect(unlocked.status == 200 && unlocked.json?["locked"] as? Bool == false)
            #expect(try api.login(agency.slug, officer.email, officer.password, from: "127.0.0.7").status == 200)
        }

        @Test func fiftyParallelWrongAttemptsNeverPassTheLimit() async throws {
            let platform = try await Platform.start([.identity], extraEnvironment: ["MUSTER_PASSWORD_HASH_THREADS": "2"])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask { try api.login(agency.slug, agency.admin.email, "not the password at all", from: "127.0.0.4").status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 5, "exactly the allowed failures were checked: \(statuses)")
            #expect(statuses.filter { $0 == 429 }.count == 45)
            let checked = try api.sql("SELECT failures FROM \(IdentityAPI.schema(agency.id)).login_attempts WHERE address = '127.0.0.4'")
            #expect(checked == "5")
            let success = try api.login(agency.slug, agency.admin.email, Platform.fixturePassword, from: "127.0.0.5")
            #expect(success.status == 200)
            let cleared = try api.sql("SELECT count(*) FROM \(IdentityAPI.schema(agency.id)).account_failures")
            #expect(cleared == "0", "a success ends the account's run of failures")
        }
    }
}
