import Foundation
import MusterCore
import MusterDatabase

/// `bench-migrate URL AGENCIES [WORKERS]`: with the 13-table schema in
/// `bench/migrate/Migrations`, creates AGENCIES agency schemas at version 1,
/// then measures a start with nothing pending, migrating every schema one
/// version up, a start with nothing pending again, and creating one new schema.
let arguments = CommandLine.arguments
guard arguments.count >= 3, let agencies = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: bench-migrate URL AGENCIES [WORKERS]\n".utf8))
    exit(2)
}
let url = arguments[1]
let workers = arguments.count > 3 ? Int(arguments[3]) ?? 4 : 4
let logger = Logger(service: "bench-migrate", minimumLevel: .warning)
let migrationsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Migrations")

/// Version 1 of the same service: only `0001`, whose DDL is then also `current.sql`.
func versionOneFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-migrate-v1-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("agency"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: migrationsFolder.appendingPathComponent("platform"),
                                     to: folder.appendingPathComponent("platform"))
    let initial = migrationsFolder.appendingPathComponent("agency/0001_initial.sql")
    try FileManager.default.copyItem(at: initial, to: folder.appendingPathComponent("agency/0001_initial.sql"))
    try FileManager.default.copyItem(at: initial, to: folder.appendingPathComponent("agency/current.sql"))
    return folder
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func report(_ label: String, _ duration: Duration, _ detail: String = "") {
    print(label.padding(toLength: 50, withPad: " ", startingAt: 0) + String(format: "%9.1f ms  ", seconds(duration) * 1000) + detail)
}

/// A pool and a migrator as a freshly started service would have them.
func migrator(_ folder: URL) throws -> Migrator {
    let pool = try DatabasePool(configuration: .init(url: url, maxConnections: workers + 1), logger: logger)
    return Migrator(pool: pool, migrations: try MigrationSet(folder: folder), logger: logger, workers: workers)
}

/// Provisions `count` agencies, `workers` at a time.
func provision(_ count: Int, with migrator: Migrator) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<count {
            if index >= workers { try await group.next() }
            group.addTask { try await migrator.provisionAgency(AgencyID()) }
        }
        try await group.waitForAll()
    }
}

let v1Folder = try versionOneFolder()
defer { try? FileManager.default.removeItem(at: v1Folder) }
let clock = ContinuousClock()

let setup = try migrator(v1Folder)
_ = try await setup.migrate()
let existing = try await setup.pool.query("SELECT count(*) AS n FROM platform.agency_schemas")[0].decode("n", as: Int.self)
let creation = try await clock.measure { try await provision(max(0, agencies - existing), with: setup) }
report("create \(agencies - existing) agency schemas (v1, \(workers) workers)", creation,
       String(format: "%.1f ms per schema of wall time", seconds(creation) * 1000 / Double(max(1, agencies - existing))))
await setup.pool.shutdown()

let idleV1 = try migrator(v1Folder)
var noop: MigrationReport?
report("start with nothing pending (\(agencies) agencies)", try await clock.measure { noop = try await idleV1.migrate() },
       "\(noop?.statementsSent ?? 0) statement(s)")
await idleV1.pool.shutdown()

let upgrade = try migrator(migrationsFolder)
var upgraded: MigrationReport?
report("migrate all one version up (\(workers) workers)", try await clock.measure { upgraded = try await upgrade.migrate() },
       "\(upgraded?.agencySchemasMigrated ?? 0) migrated, \(upgraded?.failures.count ?? 0) failed")
await upgrade.pool.shutdown()

let idleV2 = try migrator(migrationsFolder)
report("start with nothing pending again", try await clock.measure { noop = try await idleV2.migrate() },
       "\(noop?.statementsSent ?? 0) statement(s)")
// The mass migration left ~13,000 new relation files dirty; a new agency is created on a
// settled cluster, not while the checkpoint that writes them out competes for the disk.
_ = try await idleV2.pool.query("CHECKPOINT")
var singles: [Duration] = []
for _ in 0..<5 {
    singles.append(try await clock.measure { try await idleV2.provisionAgency(AgencyID()) })
}
singles.sort()
report("create one new agency schema (median of 5)", singles[2],
       "min \(Int(seconds(singles[0]) * 1000)) ms, max \(Int(seconds(singles[4]) * 1000)) ms")
let difference = try await idleV2.currentDDLDifferences()
print(difference.isEmpty ? "current.sql matches the replayed migrations" : "current.sql drifted:\n" + difference.joined(separator: "\n"))
await idleV2.pool.shutdown()
