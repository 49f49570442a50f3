import AuditService
import Foundation
import MusterTestSupport
import Testing

/// The scheduler: periodic checkpoints of chains that grew, by whichever replica claims them.
@Suite(.serialized) struct SchedulerTests {
    @Test func chainsThatGrewGetPeriodicCheckpointsAndQuietOnesDoNot() async throws {
        let audit = try await AuditFixture.start(extra: ["MUSTER_AUDIT_CHECKPOINT_INTERVAL_S": "1", "MUSTER_AUDIT_SCHEDULER_TICK_MS": "200"])
        defer { audit.stop() }
        let agency = try audit.provision(slug: "scheduled")
        try audit.ingest((0..<5).map { EventSamples.event(agency: agency, index: $0) })
        let schema = AuditFixture.schema(agency)
        let deadline = ContinuousClock.now + .seconds(15)
        while try audit.psql("SELECT count(*) FROM \(schema).checkpoints WHERE kind = 'periodic'") == "0", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try audit.psql("SELECT seq FROM \(schema).checkpoints WHERE kind = 'periodic'") == "5")
        try await Task.sleep(for: .seconds(2))
        #expect(try audit.psql("SELECT count(*) FROM \(schema).checkpoints") == "1", "no new events, no new checkpoint")
        try audit.ingest([EventSamples.event(agency: agency, index: 9)])
        let later = ContinuousClock.now + .seconds(15)
        while try audit.psql("SELECT max(seq) FROM \(schema).checkpoints") != "6", ContinuousClock.now < later {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try audit.psql("SELECT max(seq) FROM \(schema).checkpoints") == "6")
        #expect(try audit.psql("SELECT count(*) FROM platform.jobs WHERE agency_id = '\(agency)'") == "3")
    }
}
