import AuditService
import Foundation
import MusterCore
import MusterDatabase
import MusterTestSupport
import MusterTime
import Testing

/// The retention purge against Audit's database, as Audit's own role.
@Suite(.serialized) struct RetentionPurgeTests {
    static let twoYearsAgo = MicroTime(Date().addingTimeInterval(-2 * 366 * 86_400))

    @Test func oldPrefixesGoAfterASignedCutAndWhatRemainsVerifies() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agency = try audit.provision(slug: "retention-a")
        let chain = AuditChain.agency(agency)
        let pool = try audit.servicePool()
        let verification = ChainVerification(events: EventStore(pool: pool), keys: try audit.keys(pool: pool))
        let purger = RetentionPurger(checkpointer: Checkpointer(verification: verification), logger: Logger(service: "audit-test"))
        let store = EventStore(pool: pool)
        for batch in 0..<3 {
            _ = try await store.append(EventSamples.records(10, chain: chain), to: chain,
                                       at: MicroTime(microseconds: Self.twoYearsAgo.microseconds + Int64(batch) * 1_000_000))
        }
        try audit.ingest((0..<10).map { EventSamples.event(agency: agency, index: $0) })
        let schema = AuditFixture.schema(agency)

        #expect(try await purger.purge(chain) == nil, "seven years by default: nothing is due")
        try audit.psql("INSERT INTO \(schema).agency_settings (key, value) VALUES ('retention_years', '1')")
        #expect(try await purger.purge(chain) == 30)
        #expect(try audit.psql("SELECT min(seq), max(seq) FROM \(schema).events") == "31|41", "10 kept, and the purge's own event")
        #expect(try audit.psql("SELECT seq, kind FROM \(schema).checkpoints WHERE kind = 'retention_cut'") == "30|retention_cut")
        #expect(try await verification.verify(chain) == .init(ok: true, events: 11, firstBrokenSeq: nil, checkpoints: 1))
        #expect(try audit.verify(slug: "retention-a").status == 0)
        #expect(try await purger.purge(chain) == nil, "nothing more is due")
        #expect(try audit.psql("SELECT has_table_privilege('\(audit.platform.databaseName(.audit))', '\(schema).events', 'DELETE')") == "f",
                "the purge's DELETE privilege lasted its transaction only")

        // Even by the purge's own path, nothing younger than a year can go.
        await #expect(throws: DatabaseError.self) {
            try await pool.withAgency(agency) { tx in
                try await tx.execute("GRANT DELETE ON events TO CURRENT_USER")
                _ = try await tx.query("SELECT set_config('muster.audit_purge_through', '41', true)")
                try await tx.execute("DELETE FROM events WHERE seq = 35")
            }
        }
        #expect(try audit.psql("SELECT count(*) FROM \(schema).events WHERE seq = 35") == "1")
        await pool.shutdown()
    }

    @Test func aBrokenChainIsNeverPurged() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agency = try audit.provision(slug: "retention-b")
        let chain = AuditChain.agency(agency)
        let pool = try audit.servicePool()
        let verification = ChainVerification(events: EventStore(pool: pool), keys: try audit.keys(pool: pool))
        let purger = RetentionPurger(checkpointer: Checkpointer(verification: verification), logger: Logger(service: "audit-test"))
        _ = try await EventStore(pool: pool).append(EventSamples.records(10, chain: chain), to: chain, at: Self.twoYearsAgo)
        let schema = AuditFixture.schema(agency)
        try audit.psql("""
            INSERT INTO \(schema).agency_settings (key, value) VALUES ('retention_years', '1');
            SET session_replication_role = replica; UPDATE \(schema).events SET reason = 'rewritten' WHERE seq = 4
            """)
        await #expect(throws: Checkpointer.ChainBroken.self) { try await purger.purge(chain) }
        #expect(try audit.psql("SELECT count(*) FROM \(schema).events") == "10")
        await pool.shutdown()
    }
}
