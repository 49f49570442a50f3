import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterOutbox
import MusterTestSupport
import Synchronization
import Testing

/// The receiving half of the outbox, as Audit and Notify use it.
@Suite struct OutboxReceiverTests {
    private struct Item: Sendable, Equatable {
        let id: String
        let agency: AgencyID?
    }

    private static let logger = Logger(service: "test", minimumLevel: .error)

    @Test func eachTenancyIsStoredOnceWithItsItemsInOrder() async throws {
        let (a, b) = (AgencyID(), AgencyID())
        let items = [Item(id: "1", agency: a), Item(id: "2", agency: nil), Item(id: "3", agency: a), Item(id: "4", agency: b)]
        let stored = Mutex<[Tenancy: [String]]>([:])
        let receipt = try await OutboxReceiver(topic: .emails, logger: Self.logger)
            .receive(items, id: \.id, tenancy: { Tenancy($0.agency) },
                     rejected: [RejectedItem(id: "0", reason: "did not validate")]) { tenancy, group in
                stored.withLock { $0[tenancy, default: []] += group.map(\.id) }
            }
        #expect(stored.withLock { $0 } == [.agency(a): ["1", "3"], .platform: ["2"], .agency(b): ["4"]])
        #expect(receipt.accepted == ["1", "3", "2", "4"])   // one group at a time, in order of first appearance
        #expect(receipt.answer == AcceptedIDs(accepted: ["1", "3", "2", "4"], rejected: [RejectedItem(id: "0", reason: "did not validate")]))
        #expect(receipt.notProvisioned == 0)
    }

    @Test func refusedGroupsCarryTheirReasonAndAFailureAloneIsThrown() async throws {
        let (refusing, failing, fine) = (AgencyID(), AgencyID(), AgencyID())
        struct Broken: Error {}
        let receiver = OutboxReceiver(topic: .auditEvents, logger: Self.logger)
        let store: @Sendable (Tenancy, [Item]) async throws -> Void = { tenancy, _ in
            switch tenancy.agencyID {
            case refusing: throw OutboxRefusal(reason: "being investigated; retry")
            case failing: throw Broken()
            default: return
            }
        }
        let items = [Item(id: "r", agency: refusing), Item(id: "f", agency: failing), Item(id: "ok", agency: fine)]
        let receipt = try await receiver.receive(items, id: \.id, tenancy: { Tenancy($0.agency) }, store: store)
        #expect(receipt.accepted == ["ok"])
        #expect(receipt.rejected == [RejectedItem(id: "r", reason: "being investigated; retry"),
                                     RejectedItem(id: "f", reason: "storage failed; retry")])
        // Nothing stored and a failure: the error itself (the route answers 503, the relay backs off).
        await #expect(throws: Broken.self) {
            try await receiver.receive(Array(items.prefix(2)), id: \.id, tenancy: { Tenancy($0.agency) }, store: store)
        }
        // Only refusals: an answer, not an error.
        let refusedOnly = try await receiver.receive([items[0]], id: \.id, tenancy: { Tenancy($0.agency) }, store: store)
        #expect(refusedOnly.answer == AcceptedIDs(accepted: [], rejected: [RejectedItem(id: "r", reason: "being investigated; retry")]))
    }

    @Test func atMostConcurrencyGroupsAreStoredAtOnce() async throws {
        let items = (0..<12).map { Item(id: "\($0)", agency: AgencyID()) }
        let running = Mutex((now: 0, most: 0))
        let receipt = try await OutboxReceiver(topic: .auditEvents, logger: Self.logger, concurrency: 3)
            .receive(items, id: \.id, tenancy: { Tenancy($0.agency) }) { _, _ in
                running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                try await Task.sleep(for: .milliseconds(20))
                running.withLock { $0.now -= 1 }
            }
        #expect(Set(receipt.accepted) == Set(items.map(\.id)))
        #expect(running.withLock { $0.most } <= 3)
        #expect(running.withLock { $0.most } >= 2)
    }

    /// Against PostgreSQL: an agency without a schema is refused (the sender retries), the others are stored.
    @Test func anUnprovisionedAgencyIsRefusedAndTheOthersStored() async throws {
        let logger = Logger(service: "test", minimumLevel: .error)
        let admin = DatabaseAdmin(superuserURL: TestEnvironment.databaseURL, logger: logger)
        let database = "receiver_\(TestEnvironment.uniqueSuffix())"
        try await admin.createDatabase(database)
        let pool = try DatabasePool(configuration: .init(url: try admin.url(database: database), maxConnections: 2), logger: logger)
        do {
            let (provisioned, missing) = (AgencyID(), AgencyID())
            for schema in [SchemaName.platform, SchemaName.agency(provisioned)] {
                try await pool.execute("CREATE SCHEMA \(schema)")
                try await pool.execute("CREATE TABLE \(schema).notes (id text PRIMARY KEY)")
            }
            let items = [Item(id: "a1", agency: provisioned), Item(id: "m1", agency: missing), Item(id: "p1", agency: nil),
                         Item(id: "m2", agency: missing)]
            let receipt = try await OutboxReceiver(topic: .emails, logger: logger, concurrency: 2)
                .receive(items, id: \.id, tenancy: { Tenancy($0.agency) }) { tenancy, group in
                    try await pool.within(tenancy) { tx in
                        for item in group { try await tx.execute("INSERT INTO \(tenancy.schema).notes (id) VALUES (\(item.id))") }
                    }
                }
            #expect(Set(receipt.accepted) == ["a1", "p1"])
            #expect(receipt.rejected.map(\.id) == ["m1", "m2"])
            #expect(receipt.rejected.allSatisfy { $0.reason.contains("not provisioned") && $0.reason.contains(missing.description) })
            #expect(receipt.notProvisioned == 2)
            let stored = try await pool.query("""
                SELECT id FROM \(SchemaName.platform).notes UNION ALL SELECT id FROM \(SchemaName.agency(provisioned)).notes ORDER BY id
                """).map { try $0.decode("id", as: String.self) }
            #expect(stored == ["a1", "p1"])
        } catch {
            await pool.shutdown()
            try await admin.dropDatabase(database)
            throw error
        }
        await pool.shutdown()
        try await admin.dropDatabase(database)
    }
}
