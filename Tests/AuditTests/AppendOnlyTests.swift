import AuditService
import Foundation
import MusterCore
import MusterTestSupport
import Testing

/// The event tables refuse change: the service's own role lacks the privileges,
/// and a trigger refuses even the superuser (unless triggers are switched off).
@Suite(.serialized) struct AppendOnlyTests {
    @Test func theServiceRoleHasNoUpdateOrDeleteAndTriggersRefuseEveryone() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agency = try audit.provision(slug: "append-only")
        try audit.ingest((0..<3).map { EventSamples.event(agency: agency, index: $0) })
        let schema = AuditFixture.schema(agency)
        #expect(try audit.platform.runCommand(.audit, ["checkpoint", "--agency", "append-only"]).status == 0)
        let role = audit.platform.databaseName(.audit)
        for table in ["events", "checkpoints"] {
            for privilege in ["UPDATE", "DELETE", "TRUNCATE"] {
                #expect(try audit.psql("SELECT has_table_privilege('\(role)', '\(schema).\(table)', '\(privilege)')") == "f",
                        "\(role) \(privilege) \(table)")
            }
            #expect(try audit.psql("SELECT has_table_privilege('\(role)', '\(schema).\(table)', 'INSERT')") == "t")
        }

        // As the service's own login (what a bug or an injection in Audit would run as).
        let serviceURL = audit.platform.environment["MUSTER_AUDIT_DATABASE_URL"]!
        for statement in ["UPDATE \(schema).events SET outcome = 'denied'", "DELETE FROM \(schema).events",
                          "TRUNCATE \(schema).events", "DELETE FROM \(schema).chain_head", "UPDATE \(schema).checkpoints SET seq = 0"] {
            let result = try Command.run("psql", [serviceURL, "-v", "ON_ERROR_STOP=1", "-qtAX", "-c", statement])
            #expect(result.status != 0, "\(statement)")
            #expect(result.stderr.contains("permission denied") || result.stderr.contains("append-only"), "\(result.stderr)")
        }
        // As the superuser, triggers still refuse.
        for statement in ["UPDATE \(schema).events SET outcome = 'denied'", "DELETE FROM \(schema).events", "TRUNCATE \(schema).events",
                          "DELETE FROM \(schema).checkpoints", "DELETE FROM platform.signing_keys",
                          "UPDATE platform.signing_keys SET kid = 'mine'"] {
            #expect(throws: CommandFailure.self, "\(statement)") { try audit.psql(statement) }
        }
        #expect(try audit.psql("SELECT count(*), (SELECT count(*) FROM \(schema).checkpoints) FROM \(schema).events") == "3|1")
    }
}
