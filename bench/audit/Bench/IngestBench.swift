import AuditService
import Foundation
import MusterCore
import MusterDatabase

/// Ingest through `POST /internal/events` in batches of 100 (normalized, chained,
/// hashed, one writer per agency) against a plain `INSERT … SELECT` of the same
/// rows into an unchained table with the same columns and indexes (`LIKE events
/// INCLUDING ALL`, no triggers), batch for batch, same concurrency, two ways:
/// - `client`: each batch's rows sent by the client as one array per column,
///   `INSERT INTO plain SELECT … FROM unnest($1, …)` (what a plain batch insert does);
/// - `copy`: server-side, `INSERT INTO plain SELECT * FROM events WHERE seq …`
///   (no data crosses the wire: the strictest reference).
struct IngestBench {
    let platform: BenchPlatform
    let pool: DatabasePool
    let events: Int
    static let batchSize = 100

    struct Result {
        let clients: Int
        let chained: Double
        /// Same rows sent by the client, `INSERT … SELECT FROM unnest`.
        let plain: Double
        /// Same rows copied server-side, `INSERT … SELECT FROM events`.
        let copy: Double
        /// Median over rounds of chained ÷ plain, and of chained ÷ copy.
        let ratio: Double
        let ratioToCopy: Double
        /// Audit's own CPU per event while ingesting (user + system).
        let auditCPUMicroseconds: Double
    }

    /// `clients` concurrent senders, each on its own agency, in `rounds` rounds that
    /// alternate the three ways (the machine's load drifts; a ratio within one
    /// round compares like with like). Rates are the medians over rounds.
    func run(clients: Int, rounds: Int = 5) async throws -> Result {
        var agencies: [AgencyID] = []
        var bodies: [[[UInt8]]] = []
        for client in 0..<clients {
            let agency = AgencyID()
            try await platform.provision(agency, slug: "ingest-\(clients)-\(client)")
            agencies.append(agency)
            bodies.append(try EventFactory(agency: agency).batches(0..<(events / clients), size: Self.batchSize))
            let schema = SchemaName.agency(agency)
            try await pool.execute("CREATE TABLE \(schema).plain_events (LIKE \(schema).events INCLUDING ALL)")
            try await pool.execute("CREATE TABLE \(schema).copied_events (LIKE \(schema).events INCLUDING ALL)")
        }
        let agencyList = agencies, bodyList = bodies
        let batchesPerRound = max(1, bodies[0].count / rounds)
        var chained: [Double] = [], plain: [Double] = [], copy: [Double] = [], cpu: [Double] = []
        for round in 0..<rounds {
            let range = (round * batchesPerRound)..<min((round + 1) * batchesPerRound, bodies[0].count)
            guard !range.isEmpty else { break }
            let roundEvents = Double(range.count * Self.batchSize * clients)
            let cpuBefore = platform.auditCPUSeconds()
            var start = ContinuousClock.now
            try await concurrently(agencyList.indices) { client in
                for batch in bodyList[client][range] { _ = try await platform.post(batch) }
            }
            chained.append(roundEvents / seconds(since: start))
            cpu.append((platform.auditCPUSeconds() - cpuBefore) / roundEvents * 1e6)

            let firsts = range.map { Int64($0 * Self.batchSize) }
            var fetched: [[[String]]] = []
            for agency in agencyList { fetched.append(try await firsts.asyncMap { try await arrays(of: agency, after: $0) }) }
            let columns = fetched
            start = ContinuousClock.now
            try await concurrently(agencyList.indices) { client in
                for batch in columns[client] { try await insert(batch, into: SchemaName.agency(agencyList[client])) }
            }
            plain.append(roundEvents / seconds(since: start))

            start = ContinuousClock.now
            try await concurrently(agencyList.indices) { client in
                let schema = SchemaName.agency(agencyList[client])
                for first in firsts {
                    try await pool.execute("""
                        INSERT INTO \(schema).copied_events SELECT * FROM \(schema).events
                        WHERE seq > \(first) AND seq <= \(first + Int64(Self.batchSize))
                        """)
                }
            }
            copy.append(roundEvents / seconds(since: start))
        }
        return Result(clients: clients, chained: median(chained), plain: median(plain), copy: median(copy),
                      ratio: median(zip(chained, plain).map { $0 / $1 }), ratioToCopy: median(zip(chained, copy).map { $0 / $1 }),
                      auditCPUMicroseconds: median(cpu))
    }

    private func concurrently(_ clients: Range<Int>, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try await body(client) } }
            try await group.waitForAll()
        }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

extension IngestBench {
    /// One batch's rows as array literals, one per column (read before the clock starts).
    func arrays(of agency: AgencyID, after first: Int64) async throws -> [String] {
        let row = try await pool.query("""
            SELECT array_agg(seq ORDER BY seq)::text, array_agg(id ORDER BY seq)::text, array_agg(occurred_at ORDER BY seq)::text,
                   array_agg(recorded_at ORDER BY seq)::text, array_agg(actor_kind ORDER BY seq)::text,
                   array_agg(actor_user_id ORDER BY seq)::text, array_agg(actor_roles::text ORDER BY seq)::text,
                   array_agg(actor_service ORDER BY seq)::text, array_agg(actor_support_grant_id ORDER BY seq)::text,
                   array_agg(actor_claimed ORDER BY seq)::text, array_agg(action ORDER BY seq)::text,
                   array_agg(target_type ORDER BY seq)::text, array_agg(target_id ORDER BY seq)::text,
                   array_agg(outcome ORDER BY seq)::text, array_agg(source_ip ORDER BY seq)::text,
                   array_agg(source_user_agent ORDER BY seq)::text, array_agg(source_request_id ORDER BY seq)::text,
                   array_agg(changes ORDER BY seq)::text, array_agg(reason ORDER BY seq)::text,
                   array_agg(prev_hash ORDER BY seq)::text, array_agg(hash ORDER BY seq)::text
            FROM \(SchemaName.agency(agency)).events WHERE seq > \(first) AND seq <= \(first + Int64(Self.batchSize))
            """)[0]
        return try (0..<21).map { try row.decode(column: $0, as: String.self) }
    }

    /// The plain batch insert: the client's arrays, unnested into rows.
    func insert(_ columns: [String], into schema: SchemaName) async throws {
        let c = columns
        try await pool.execute("""
            INSERT INTO \(schema).plain_events
            SELECT r.seq, r.id, r.occurred_at, r.recorded_at, r.actor_kind, r.actor_user_id, r.actor_roles::text[], r.actor_service,
                   r.actor_support_grant_id, r.actor_claimed, r.action, r.target_type, r.target_id, r.outcome, r.source_ip,
                   r.source_user_agent, r.source_request_id, r.changes, r.reason, r.prev_hash, r.hash
            FROM unnest(\(c[0])::int8[], \(c[1])::uuid[], \(c[2])::timestamptz[], \(c[3])::timestamptz[], \(c[4])::text[],
                        \(c[5])::uuid[], \(c[6])::text[], \(c[7])::text[], \(c[8])::text[], \(c[9])::text[], \(c[10])::text[],
                        \(c[11])::text[], \(c[12])::text[], \(c[13])::text[], \(c[14])::text[], \(c[15])::text[], \(c[16])::text[],
                        \(c[17])::text[], \(c[18])::text[], \(c[19])::bytea[], \(c[20])::bytea[])
                 AS r(seq, id, occurred_at, recorded_at, actor_kind, actor_user_id, actor_roles, actor_service, actor_support_grant_id,
                      actor_claimed, action, target_type, target_id, outcome, source_ip, source_user_agent, source_request_id,
                      changes, reason, prev_hash, hash)
            """)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: .now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
