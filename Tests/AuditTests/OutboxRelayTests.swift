import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterOutbox
import MusterTestSupport
import Testing

/// The outbox relay against a real sender database and a real Audit process.
@Suite(.serialized) struct OutboxRelayTests {
    @Test func withAuditStoppedWritesGoOnAndAfterItsRestartEveryEventArrivesExactlyOnce() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agencies = [try audit.provision(slug: "relay-a"), try audit.provision(slug: "relay-b")]
        let sender = try await OutboxSender.create(for: audit.platform)
        let relays = (0..<2).map { _ in sender.relay() }
        let running = relays.map { relay in Task { await relay.run() } }

        #expect(audit.platform.terminate(.audit) == 0)
        var sent: [AuditEvent] = []
        for index in 0..<300 {
            let event = EventSamples.event(agency: index % 5 == 4 ? nil : agencies[index % 2], index: index)
            try await sender.write(event)
            sent.append(event)
        }
        try await Task.sleep(for: .milliseconds(600))
        #expect(try await sender.pending() == 300, "nothing is lost or dropped while Audit is away")
        #expect(try await sender.pool.query("SELECT count(*) AS n FROM platform.changes")[0].decode("n", as: Int.self) == 300)
        #expect(try await sender.pool.query("SELECT max(attempts) AS n FROM platform.outbox")[0].decode("n", as: Int.self) == 0,
                "a destination that is down is waited for, rows are not postponed one by one")

        try audit.platform.launch(.audit)
        try await audit.platform.waitUntilReady(.audit)
        try await sender.drain()
        for task in running { task.cancel() }
        for task in running { await task.value }

        var stored: [String] = []
        for chain in [AuditChain.agency(agencies[0]), .agency(agencies[1]), .platform] {
            let schema = AuditFixture.schema(chain.storageID)
            let ids = try audit.psql("SELECT id FROM \(schema).events WHERE action = 'record.training.updated' ORDER BY seq")
            stored += ids.split(separator: "\n").map(String.init)
        }
        #expect(stored.count == 300, "each event once")
        #expect(Set(stored) == Set(sent.map(\.id.description)))
        await sender.close()
    }

    @Test func severalRelaysAtOnceKeepEachChainLinearAndEachEventOnce() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agency = try audit.provision(slug: "relay-linear")
        let sender = try await OutboxSender.create(for: audit.platform)
        let events = (0..<1200).map { EventSamples.event(agency: agency, index: $0) }
        for event in events { try await sender.write(event) }
        let relays = (0..<4).map { _ in sender.relay() }
        let running = relays.map { relay in Task { await relay.run() } }
        // Meanwhile the service keeps writing.
        let more = (1200..<1300).map { EventSamples.event(agency: agency, index: $0) }
        for event in more { try await sender.write(event) }
        try await sender.drain()
        for task in running { task.cancel() }
        for task in running { await task.value }

        let schema = AuditFixture.schema(agency)
        #expect(try audit.psql("SELECT count(*), count(DISTINCT id), min(seq), max(seq) FROM \(schema).events") == "1300|1300|1|1300")
        #expect(try audit.psql("""
            SELECT count(*) FROM \(schema).events e JOIN \(schema).events p ON p.seq = e.seq - 1 WHERE e.prev_hash <> p.hash
            """) == "0")
        let (status, report) = try audit.verify(slug: "relay-linear")
        #expect(status == 0)
        #expect(report["events"] as? Int == 1300)
        await sender.close()
    }

    @Test func refusedEventsStayWithTheirReasonAndTheRestIsDelivered() async throws {
        let audit = try await AuditFixture.start()
        defer { audit.stop() }
        let agency = try audit.provision(slug: "relay-refused")
        let sender = try await OutboxSender.create(for: audit.platform)
        var invalid = EventSamples.event(agency: agency, index: 0)
        invalid.action = "Not Dotted"
        let early = EventSamples.event(agency: AgencyID(), index: 1)
        let good = (2..<12).map { EventSamples.event(agency: agency, index: $0) }
        for event in [invalid, early] + good { try await sender.write(event) }

        let relay = sender.relay()
        let result = try await relay.deliverOneBatch()
        #expect(result == .init(claimed: 12, acknowledged: 10, postponed: 2))
        let rows = try await sender.pool.query("SELECT id, attempts, last_error FROM platform.outbox ORDER BY id")
        #expect(rows.count == 2)
        let reasons = try Dictionary(uniqueKeysWithValues: rows.map { (try $0.decode("id", as: UUID.self), try $0.decode("last_error", as: String.self)) })
        #expect(reasons[invalid.id.uuid]?.contains("action") == true)
        #expect(reasons[early.id.uuid]?.contains("provision") == true)
        #expect(try rows.allSatisfy { try $0.decode("attempts", as: Int.self) == 1 })
        #expect(try await relay.deliverOneBatch().claimed == 0, "refused rows wait their backoff")

        // Once the agency is provisioned, its event goes through on a later attempt.
        try audit.provision(early.agencyID!, slug: "relay-late")
        let running = Task { await relay.run() }
        try await sender.drain(leaving: 1, timeout: .seconds(20))
        running.cancel()
        await running.value
        #expect(try audit.psql("SELECT count(*) FROM \(AuditFixture.schema(early.agencyID!)).events") == "1")
        await sender.close()
    }
}
