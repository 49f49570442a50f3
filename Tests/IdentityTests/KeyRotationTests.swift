import Foundation
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// `identity rotate-signing-key` and `identity rotate-master-key` on a running platform.
    @Suite(.serialized) struct KeyRotationTests {
        @Test func rotatedKeysKeepOldTokensValidAndRewrapWithoutDowntime() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let oldToken = agency.adminToken
            let before = try JSONSerialization.jsonObject(with: Data(try api.call("GET", "/.well-known/jwks.json").body.utf8)) as? [String: Any]
            #expect((before?["keys"] as? [[String: Any]])?.count == 1)

            let rotated = try platform.runCommand(.identity, ["rotate-signing-key"])
            #expect(rotated.status == 0, "\(rotated.stderr)")
            // A restart picks the key up at once (running processes within 30 s).
            platform.terminate(.identity)
            try platform.launch(.identity)
            try await platform.waitUntilReady(.identity)
            let keys = try JSONSerialization.jsonObject(with: Data(try api.call("GET", "/.well-known/jwks.json").body.utf8)) as? [String: Any]
            let kids = (keys?["keys"] as? [[String: Any]] ?? []).compactMap { $0["kid"] as? String }
            #expect(kids.count == 2, "the previous key stays published")
            #expect(try api.call("GET", "/api/v1/me", token: oldToken).status == 200, "tokens of the previous key stay valid")
            let fresh = try platform.login(agency: agency.slug, email: agency.admin.email, password: Platform.fixturePassword)
            let kid = "import sys, jwt; print(jwt.get_unverified_header(sys.argv[1])['kid'])"
            let newKid = try Oracle.python(kid, fresh.accessToken), oldKid = try Oracle.python(kid, oldToken)
            #expect(newKid == kids[0] && newKid != oldKid, "the newest key signs")

            let newKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            var environment = platform.environment
            environment["MUSTER_MASTER_KEY_PREVIOUS"] = environment["MUSTER_MASTER_KEY"]
            environment["MUSTER_MASTER_KEY"] = newKey
            let rewrap = try Command.run(TestEnvironment.binaries.appendingPathComponent("identity").path, ["rotate-master-key"], environment: environment)
            #expect(rewrap.status == 0, "\(rewrap.stderr)")
            #expect(rewrap.stdout.contains("keys rewrapped"))
            let masters = try api.sql("""
                SELECT count(DISTINCT split_part(data_key, '.', 1)) || ',' || (SELECT count(DISTINCT split_part(wrapped_key, '.', 1)) FROM platform.signing_keys)
                FROM platform.agencies
                """)
            #expect(masters == "1,1", "every wrapped key now names one master key")
            let again = try Command.run(TestEnvironment.binaries.appendingPathComponent("identity").path, ["rotate-master-key"], environment: environment)
            #expect(again.stdout.contains("\n0 keys rewrapped"))
            let withoutOld = try Command.run(TestEnvironment.binaries.appendingPathComponent("identity").path, ["rotate-master-key"],
                                             environment: environment.merging(["MUSTER_MASTER_KEY_PREVIOUS": ""]) { $1 })
            #expect(withoutOld.status == 0, "the old key is no longer needed: \(withoutOld.stderr)")
        }
    }
}
