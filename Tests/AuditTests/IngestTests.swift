import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTestSupport
import Testing

/// `POST /internal/events` against a real Audit process and PostgreSQL.
@Suite(.serialized) struct IngestTests {
    @Test func eventsAreStoredOnceEachInAGapFreeLinkedChain() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agency = try audit.provision(slug: "ingest-a")
        let first = (0..<60).map { EventSamples.event(agency: agency, index: $0) }
        try audit.ingest(Array(first.prefix(40)))
        // A relay that died before deleting sends again: overlapping ids are answered, not stored twice.
        try audit.ingest(Array(first.suffix(30)) + Array(first.prefix(5)))
        let schema = AuditFixture.schema(agency)
        #expect(try audit.psql("SELECT count(*), count(DISTINCT id), min(seq), max(seq) FROM \(schema).events") == "60|60|1|60")
        #expect(try audit.psql("""
            SELECT count(*) FROM \(schema).events e JOIN \(schema).events p ON p.seq = e.seq - 1 WHERE e.prev_hash <> p.hash
            """) == "0")
        #expect(try audit.psql("SELECT seq, encode(hash, 'hex') = (SELECT encode(hash, 'hex') FROM \(schema).events WHERE seq = 60) FROM \(schema).chain_head") == "60|t")
        let (status, report) = try audit.verify(slug: "ingest-a")
        #expect(status == 0)
        #expect(report["ok"] as? Bool == true)
        #expect(report["events"] as? Int == 60)
        #expect(report.keys.contains("first_broken_seq"))
    }

    @Test func eachEventIsJudgedAloneAndNothingIsLost() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agency = try audit.provision(slug: "ingest-b")
        let unprovisioned = AgencyID()
        var invalid = EventSamples.event(agency: agency, index: 1)
        invalid.action = "Not An Action"
        let good = EventSamples.event(agency: agency, index: 2)
        let platformEvent = EventSamples.event(agency: nil, action: "agency.created", index: 3)
        let early = EventSamples.event(agency: unprovisioned, index: 4)
        let response = try audit.post([invalid, good, platformEvent, early])
        #expect(response.status == 200)
        #expect(Set(response.json?["accepted"] as? [String] ?? []) == [good.id.description, platformEvent.id.description])
        let rejected = (response.json?["rejected"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[$1["id"] as? String ?? ""] = $1["reason"] as? String
        }
        #expect(rejected[invalid.id.description]?.contains("action") == true)
        #expect(rejected[early.id.description]?.contains("provision") == true)
        #expect(try audit.psql("SELECT action FROM \(AuditFixture.schema(AuditChain.platformStorageID)).events WHERE id = '\(platformEvent.id)'")
                == "agency.created")

        // An element that does not even decode is rejected by itself, with its id when it has one.
        let raw = #"{"events":[{"id":"\#(UUID().uuidString.lowercased())","action":"x.y"},\#(String(decoding: try JSONCoding.encode(EventSamples.event(agency: agency, index: 5)), as: UTF8.self))]}"#
        let credential = try audit.platform.serviceCredential(as: .notify, for: .audit)
        let mixed = try Curl.request("POST", audit.platform.url(.audit) + "/internal/events",
                                     headers: ["Authorization": "Bearer \(credential)", "Content-Type": "application/json"], body: raw)
        #expect(mixed.status == 200)
        #expect((mixed.json?["accepted"] as? [String])?.count == 1)
        #expect((mixed.json?["rejected"] as? [[String: Any]])?.first?["reason"] as? String != nil)

        let anonymous = try Curl.request("POST", audit.platform.url(.audit) + "/internal/events", body: raw)
        #expect(anonymous.status == 401)
        let malformed = try Curl.request("POST", audit.platform.url(.audit) + "/internal/events",
                                         headers: ["Authorization": "Bearer \(credential)"], body: "{\"events\":")
        #expect(malformed.status == 400)
    }

    @Test func currentDDLEqualsTheReplayedMigrations() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let pool = try audit.servicePool()
        let migrator = Migrator(pool: pool, migrations: try MigrationSet(folder: AuditApp().migrationsFolder!), logger: Logger(service: "audit-test"))
        #expect(try await migrator.currentDDLDifferences() == [])
        await pool.shutdown()
    }
}
