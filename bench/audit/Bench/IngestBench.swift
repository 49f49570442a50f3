import AuditService
import Foundation
import MusterCore
import MusterDatabase

/// Ingest through `POST /internal/events` in batches of 100 (normalized, chained,
/// hashed, one writer per agency) against the same rows copied by a plain
/// `INSERT … SELECT` into an unchained table with the same columns and indexes
/// (`LIKE events INCLUDING ALL`, no triggers), batch for batch, same concurrency.
struct IngestBench {
    let platform: BenchPlatform
    let pool: DatabasePool
    let events: Int
    static let batchSize = 100

    struct Result {
        let clients: Int
        let chained: Double
        let plain: Double
        /// Audit's own CPU per event while ingesting (user + system).
        let auditCPUMicroseconds: Double
    }

    /// `clients` concurrent senders, each on its own agency.
    func run(clients: Int) async throws -> Result {
        var agencies: [AgencyID] = []
        var bodies: [[[UInt8]]] = []
        for client in 0..<clients {
            let agency = AgencyID()
            try await platform.provision(agency, slug: "ingest-\(clients)-\(client)")
            agencies.append(agency)
            bodies.append(try EventFactory(agency: agency).batches(0..<(events / clients), size: Self.batchSize))
        }
        let cpuBefore = platform.auditCPUSeconds()
        let chainedStart = ContinuousClock.now
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for batches in bodies {
                group.addTask {
                    var total = 0
                    for batch in batches { total += try await platform.post(batch) }
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
        let chainedSeconds = seconds(since: chainedStart)
        let cpu = (platform.auditCPUSeconds() - cpuBefore) / Double(max(accepted, 1)) * 1e6
        guard accepted == events / clients * clients else { throw BenchError("accepted \(accepted) of \(events)") }

        for agency in agencies {
            try await pool.execute("CREATE TABLE \(SchemaName.agency(agency)).plain_events (LIKE \(SchemaName.agency(agency)).events INCLUDING ALL)")
        }
        let perClient = Int64(events / clients)
        let plainStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for agency in agencies {
                let schema = SchemaName.agency(agency)
                group.addTask {
                    for first in stride(from: Int64(0), to: perClient, by: Self.batchSize) {
                        try await pool.execute("""
                            INSERT INTO \(schema).plain_events SELECT * FROM \(schema).events
                            WHERE seq > \(first) AND seq <= \(first + Int64(Self.batchSize))
                            """)
                    }
                }
            }
            try await group.waitForAll()
        }
        let plainSeconds = seconds(since: plainStart)
        return Result(clients: clients, chained: Double(accepted) / chainedSeconds, plain: Double(accepted) / plainSeconds,
                      auditCPUMicroseconds: cpu)
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: .now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
