import Foundation
import MusterTestSupport
import Testing

/// `PUT /internal/agencies/{id}` on the services that keep agency schemas.
@Suite(.serialized) struct ProvisioningTests {
    @Test func provisioningNeedsIdentitysCredentialAndIsIdempotent() async throws {
        let platform = try await Platform.start([.records, .audit, .notify])
        defer { platform.stop() }
        let agency = UUID().uuidString.lowercased()
        let schema = "agency_" + agency.replacingOccurrences(of: "-", with: "")
        let body = #"{"slug":"metro-pd","name":"Metro PD"}"#

        for service in [Platform.Service.records, .audit, .notify] {
            let url = platform.url(service) + "/internal/agencies/\(agency)"
            let anonymous = try Curl.request("PUT", url, body: body)
            #expect(anonymous.status == 401, "\(service) refuses a call without a credential")

            let wrongCaller = try platform.serviceCredential(as: .gateway, for: service.name)
            let refused = try Curl.request("PUT", url, headers: ["Authorization": "Bearer \(wrongCaller)"], body: body)
            #expect(refused.status == 403, "\(service) accepts provisioning only from Identity")

            let wrongAudience = try platform.serviceCredential(as: .identity, for: .gateway)
            let misdirected = try Curl.request("PUT", url, headers: ["Authorization": "Bearer \(wrongAudience)"], body: body)
            #expect(misdirected.status == 401, "\(service) refuses a credential meant for another service")

            let credential = try platform.serviceCredential(as: .identity, for: service.name)
            for _ in 0..<2 {
                let response = try Curl.request("PUT", url, headers: ["Authorization": "Bearer \(credential)"], body: body)
                #expect(response.status == 200, "\(service): \(response.body)")
                #expect(response.json?["agency_id"] as? String == agency)
                #expect((response.json?["schema_version"] as? Int ?? 0) >= 1)
            }
            let exists = try Command.psql("SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'",
                                          database: platform.databaseName(service))
            #expect(exists == "1")
            let tables = try Command.psql("SELECT count(*) FROM pg_tables WHERE schemaname = '\(schema)'",
                                          database: platform.databaseName(service))
            #expect(Int(tables) ?? 0 >= 1)

            let malformed = try Curl.request("PUT", platform.url(service) + "/internal/agencies/not-a-uuid",
                                             headers: ["Authorization": "Bearer \(credential)"], body: body)
            #expect(malformed.status == 404)
            let badBody = try Curl.request("PUT", url, headers: ["Authorization": "Bearer \(credential)"], body: "{\"slug\":")
            #expect(badBody.status == 400)
            #expect((badBody.json?["error"] as? [String: Any])?["code"] as? String == "invalid_json")
        }
    }

    @Test func twoMigrateProcessesAtOnceApplyEachMigrationOnce() async throws {
        let platform = try await Platform.start([])
        defer { platform.stop() }
        async let first = Task.detached { try platform.runCommand(.records, ["migrate"]) }.value
        async let second = Task.detached { try platform.runCommand(.records, ["migrate"]) }.value
        let results = try await [first, second]
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let duplicates = try Command.psql("""
            SELECT count(*) FROM (SELECT schema_name, version FROM platform.schema_migrations
                                  GROUP BY 1, 2 HAVING count(*) > 1) d
            """, database: platform.databaseName(.records))
        #expect(duplicates == "0")
        let applied = try Command.psql("SELECT count(*) FROM platform.schema_migrations WHERE schema_name = 'platform'",
                                       database: platform.databaseName(.records))
        #expect(applied == "1")
    }
}
