import Foundation
import MusterCore
import MusterDatabase

/// `bench-db URL CLIENTS SECONDS pk|agency|agency-query [AGENCY_ID] [--on-pool-executor]`:
/// runs the primary-key SELECT of `pgbench -S` on `pgbench_accounts` from
/// CLIENTS concurrent tasks through one pool of CLIENTS connections, and
/// prints transactions per second. In `agency` mode each SELECT runs in
/// `withAgency` (BEGIN + SET LOCAL search_path + SELECT in one round trip,
/// then COMMIT); in `agency-query` mode in `query(_:inAgency:)` (all four in
/// one round trip). With `--on-pool-executor` the tasks prefer the pool's
/// executor, so each query resumes on the thread that read its result.
let flags = CommandLine.arguments.filter { $0.hasPrefix("--") }
let arguments = CommandLine.arguments.filter { !$0.hasPrefix("--") }
enum Mode: String {
    case pk, agency, agencyQuery = "agency-query"
}
guard arguments.count >= 5, let clients = Int(arguments[2]), let seconds = Double(arguments[3]),
      let mode = Mode(rawValue: arguments[4]) else {
    FileHandle.standardError.write(Data("usage: bench-db URL CLIENTS SECONDS pk|agency|agency-query [AGENCY_ID] [--on-pool-executor]\n".utf8))
    exit(2)
}
let agency = arguments.dropFirst(5).first.flatMap(AgencyID.init(string:))
if mode != .pk && agency == nil {
    FileHandle.standardError.write(Data("agency modes need an AGENCY_ID\n".utf8))
    exit(2)
}
let onPoolExecutor = flags.contains("--on-pool-executor")

/// A cheap per-task generator: the system one makes a syscall per number.
struct XorShift {
    var state: UInt64
    mutating func next(upTo bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound)) + 1
    }
}

struct Benchmark: Sendable {
    let pool: DatabasePool
    let accounts: Int
    let mode: Mode
    let agency: AgencyID?
    let onPoolExecutor: Bool

    /// Transactions done by `clients` tasks until `deadline`.
    func run(clients: Int, until deadline: ContinuousClock.Instant) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                group.addTask(executorPreference: onPoolExecutor ? pool.executor : nil) {
                    try await runClient(seed: 0x9E37_79B9_7F4A_7C15 &* UInt64(client + 1), until: deadline)
                }
            }
            return try await group.reduce(0, +)
        }
    }

    private func runClient(seed: UInt64, until deadline: ContinuousClock.Instant) async throws -> Int {
        var random = XorShift(state: seed)
        var count = 0
        while ContinuousClock.now < deadline {
            let select: SQL = "SELECT abalance FROM pgbench_accounts WHERE aid = \(random.next(upTo: accounts))"
            switch (mode, agency) {
            case (.agency, let agency?): _ = try await pool.withAgency(agency) { tx in try await tx.query(select) }
            case (.agencyQuery, let agency?): _ = try await pool.query(select, inAgency: agency)
            default: _ = try await pool.query(select)
            }
            count += 1
        }
        return count
    }
}

let pool = try DatabasePool(configuration: .init(url: arguments[1], maxConnections: clients),
                            logger: Logger(service: "bench-db", minimumLevel: .warning))
let accounts = try await pool.query("SELECT count(*) AS n FROM pgbench_accounts")[0].decode("n", as: Int.self)
let benchmark = Benchmark(pool: pool, accounts: accounts, mode: mode, agency: agency, onPoolExecutor: onPoolExecutor)
// pgbench reports its rate without the time it took to connect: open the
// pool's connections (one per client) before the clock starts too.
try await withThrowingTaskGroup(of: Void.self) { group in
    for _ in 0..<clients { group.addTask { _ = try await pool.query("SELECT pg_sleep(0.01)") } }
    try await group.waitForAll()
}
let start = ContinuousClock.now
let total = try await benchmark.run(clients: clients, until: start + .seconds(seconds))
let elapsed = ContinuousClock.now - start
let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
await pool.shutdown()
print(String(format: "tps=%.0f transactions=%d seconds=%.2f", Double(total) / elapsedSeconds, total, elapsedSeconds))
