import AuditService
import Foundation
import MusterCore
import MusterCrypto
import MusterTestSupport
import Testing

/// Changes made behind the service's back, as the cluster's superuser (who can
/// switch triggers off), each found by `audit verify` at the right seq.
@Suite(.serialized) struct TamperTests {
    /// An agency with 20 events; returns its id and schema.
    func seeded(_ audit: AuditFixture, slug: String) throws -> (AgencyID, String) {
        let agency = try audit.provision(slug: slug)
        try audit.ingest((0..<20).map { EventSamples.event(agency: agency, index: $0) })
        return (agency, AuditFixture.schema(agency))
    }

    func expectBroken(_ audit: AuditFixture, slug: String, at seq: Int, _ comment: Comment) throws {
        let (status, report) = try audit.verify(slug: slug)
        #expect(status == 1, "\(report)")
        #expect(report["ok"] as? Bool == false, comment)
        #expect(report["first_broken_seq"] as? Int == seq, comment)
    }

    @Test func updateDeleteAndForgedInsertsAreEachFoundAtTheirSeq() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }

        let (_, updated) = try seeded(audit, slug: "tamper-update")
        try audit.psql("SET session_replication_role = replica; UPDATE \(updated).events SET outcome = 'failure' WHERE seq = 7")
        try expectBroken(audit, slug: "tamper-update", at: 7, "an UPDATE")

        let (_, deleted) = try seeded(audit, slug: "tamper-delete")
        try audit.psql("SET session_replication_role = replica; DELETE FROM \(deleted).events WHERE seq = 5")
        try expectBroken(audit, slug: "tamper-delete", at: 5, "a DELETE")

        let (_, tail) = try seeded(audit, slug: "tamper-tail")
        try audit.psql("SET session_replication_role = replica; DELETE FROM \(tail).events WHERE seq >= 18")
        try expectBroken(audit, slug: "tamper-tail", at: 18, "a lost tail")

        let (_, forged) = try seeded(audit, slug: "tamper-insert")
        try audit.psql("""
            INSERT INTO \(forged).events (seq, id, occurred_at, recorded_at, actor_kind, action, outcome, prev_hash, hash)
            SELECT 21, gen_random_uuid(), now(), now(), 'service', 'user.role.changed', 'success', hash, sha256('forged')
            FROM \(forged).events WHERE seq = 20
            """)
        try expectBroken(audit, slug: "tamper-insert", at: 21, "a forged INSERT")
    }

    @Test func aWellFormedForgeryIsFoundAgainstTheHeadOrACheckpoint() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let (agency, schema) = try seeded(audit, slug: "tamper-wellformed")
        // The forger computes a correct hash with the published algorithm, but the
        // chain head (written with every append) does not know the event.
        let head = try audit.psql("SELECT encode(hash, 'hex') FROM \(schema).events WHERE seq = 20")
        let link = ChainLink(seq: 20, hash: try Hex.decode(head), recordedAt: .now())
        let forged = ChainLinker.link(EventSamples.records(1, chain: .agency(agency)), after: link, at: .now())[0]
        try audit.psql(Self.insert(forged, into: schema))
        try expectBroken(audit, slug: "tamper-wellformed", at: 21, "a correctly hashed event the service never appended")

        // Nor does the service seal such a chain into a checkpoint.
        let result = try audit.platform.runCommand(.audit, ["checkpoint", "--agency", "tamper-wellformed"])
        #expect(result.status == 1, "a broken chain is never checkpointed: \(result.stderr)")
    }

    @Test func aRewrittenChainIsFoundByTheCheckpointThatPrecededIt() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let (agency, schema) = try seeded(audit, slug: "tamper-rewrite")
        let signed = try audit.platform.runCommand(.audit, ["checkpoint", "--agency", "tamper-rewrite"])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.contains("\"seq\":20"))
        // The forger replaces events 10…20 by a consistent chain of their own and moves the head.
        let before = try audit.psql("SELECT encode(hash, 'hex') FROM \(schema).events WHERE seq = 9")
        let rewritten = ChainLinker.link(EventSamples.records(11, chain: .agency(agency)),
                                         after: ChainLink(seq: 9, hash: try Hex.decode(before), recordedAt: .now()), at: .now())
        var sql = "SET session_replication_role = replica; DELETE FROM \(schema).events WHERE seq >= 10;"
        for event in rewritten { sql += Self.insert(event, into: schema) + ";" }
        sql += "UPDATE \(schema).chain_head SET hash = decode('\(Hex.encode(rewritten.last!.hash))', 'hex');"
        try audit.psql(sql)
        try expectBroken(audit, slug: "tamper-rewrite", at: 20, "the signed checkpoint at seq 20 names another hash")
    }

    /// The INSERT a forger with superuser rights would write for `event`.
    static func insert(_ event: ChainedEvent, into schema: String) -> String {
        let record = event.record
        return """
            INSERT INTO \(schema).events (seq, id, occurred_at, recorded_at, actor_kind, actor_user_id, actor_roles, action,
                target_type, target_id, outcome, source_ip, source_user_agent, source_request_id, changes, reason, prev_hash, hash)
            VALUES (\(event.seq), '\(record.id)', '\(record.occurredAt.canonical)', '\(event.recordedAt.canonical)', 'user',
                '\(record.actor.userID!)', '{\(record.actor.roles!.joined(separator: ","))}', '\(record.action)',
                '\(record.target!.type)', '\(record.target!.id)', 'success', '\(record.source!.ip!)', '\(record.source!.userAgent!)',
                '\(record.source!.requestID!)', '\(record.changes!)', \(record.reason.map { "'\($0)'" } ?? "NULL"),
                decode('\(Hex.encode(event.prevHash))', 'hex'), decode('\(Hex.encode(event.hash))', 'hex'))
            """
    }
}
