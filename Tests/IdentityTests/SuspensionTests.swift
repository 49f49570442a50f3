import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterHTTPClient
import MusterService
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// A suspended agency's logins and tokens are refused: by Identity at once, and by
    /// every other service through the revocation feed within its poll interval.
    @Suite(.serialized) struct SuspensionTests {
        @Test func suspendedAgencysTokensAreRefusedEverywhereAndRevokedSessionsToo() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            let ops = try await platform.bootstrapOperator()
            let officer = try await platform.createUser(in: agency, roles: [.officer])

            // What Records would run: its own verifier fed by the poller, over real HTTP with its own credential.
            let environment = Environment(platform.environment)
            let directory = try PeerDirectory(environment: environment)
            let client = HTTPClient(configuration: .init(), logger: Logger(service: "records"))
            let credentials = try ServiceCredentials.load(service: .records, environment: environment)
            let verifier = TokenVerifier(issuer: AccessTokenConventions.issuer, audience: AccessTokenConventions.audience,
                                         keySource: IdentityKeySource(directory: directory, client: client))
            let poller = RevocationPoller(peers: PeerClient(directory: directory, client: client, signer: credentials.signer),
                                          tokens: verifier, interval: .milliseconds(200), logger: Logger(service: "records"))
            let polling = Task { await poller.run() }
            defer { polling.cancel() }

            #expect(try await verifier.verify(officer.accessToken).userID.description == officer.id)
            #expect(try api.call("POST", "/api/v1/auth/logout", token: officer.accessToken).status == 204)
            try await eventually { (try? await verifier.verify(officer.accessToken)) == nil }

            #expect(try await verifier.verify(agency.adminToken).agencyID.description == agency.id)
            let suspended = try api.call("POST", "/api/v1/platform/agencies/\(agency.id)/suspend", token: ops.accessToken)
            #expect(suspended.status == 200 && suspended.json?["status"] as? String == "suspended")
            #expect(try api.call("GET", "/api/v1/me", token: agency.adminToken).status == 401, "Identity refuses at once")
            #expect(try api.login(agency.slug, agency.admin.email, Platform.fixturePassword).errorCode == "invalid_credentials")
            #expect(try api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": agency.admin.session.refreshToken]).status == 401)
            try await eventually { (try? await verifier.verify(agency.adminToken)) == nil }

            let feed = try api.call("GET", "/internal/revocations", headers: ["Authorization": "Bearer " + (try platform.serviceCredential(as: .audit, for: .identity))])
            #expect((feed.json?["suspended_agencies"] as? [String]) == [agency.id])
            #expect(try api.call("GET", "/internal/revocations").status == 401, "the feed needs a service credential")

            #expect(try api.call("POST", "/api/v1/platform/agencies/\(agency.id)/reactivate", token: ops.accessToken).status == 200)
            try await eventually { (try? await verifier.verify(agency.adminToken)) != nil }
            #expect(try api.login(agency.slug, agency.admin.email, Platform.fixturePassword).status == 200)
            await client.shutdown()
        }

        /// The bound is a loaded machine's: the feed polls often, and a met condition returns at once.
        private func eventually(within limit: Duration = .seconds(30), _ condition: () async -> Bool) async throws {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if await condition() { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("condition not met within \(limit)")
        }
    }
}
