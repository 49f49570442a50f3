import AuditService
import Foundation
import MusterCore
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

/// The weekly checkpoint email, end to end: Audit asks Identity for the agency's
/// admins, queues the mail in its outbox, and Notify writes it to the mail folder.
@Suite(.serialized) struct CheckpointDigestTests {
    @Test func eachAdminReceivesASignedCheckpointOfTheirAgency() async throws {
        let audit = try await AuditFixture.start([.identity, .records, .audit, .notify, .gateway],
                                                 extra: ["MUSTER_AUDIT_DIGEST_INTERVAL_S": "1", "MUSTER_AUDIT_SCHEDULER_TICK_MS": "200"])
        defer { audit.stop() }
        let agency = try await audit.platform.createAgency(waitUntilActive: true)
        let folder = URL(fileURLWithPath: try #require(audit.platform.environment["MUSTER_MAIL_DIR"]))
        let deadline = ContinuousClock.now + .seconds(30)
        var digest: String?
        while digest == nil, ContinuousClock.now < deadline {
            let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            digest = files.filter { $0.pathExtension == "eml" }
                .compactMap { try? String(contentsOf: $0, encoding: .utf8) }
                .first { $0.contains("To: ") && $0.contains(agency.admin.email) && $0.contains("checkpoint") && !$0.contains("invitation") }
            if digest == nil { try await Task.sleep(for: .milliseconds(300)) }
        }
        let mail = try #require(digest, "a checkpoint email reached the admin")
        let schema = AuditFixture.schema(try #require(AgencyID(string: agency.id)))
        // Digests run every second here, so the mail found may be any of them.
        let hashes = try audit.psql("SELECT encode(hash, 'hex') FROM \(schema).checkpoints WHERE kind = 'digest'").split(separator: "\n")
        #expect(!hashes.isEmpty)
        let text = mail.replacingOccurrences(of: "=\r\n", with: "")
        #expect(hashes.contains { text.contains($0) }, "the mail carries a signed digest checkpoint's hash")
    }
}
