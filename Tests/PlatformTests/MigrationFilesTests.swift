import Foundation
import MusterCore
import MusterDatabase
import MusterTestSupport
import Testing

/// Each service's `agency/current.sql` equals the replay of its numbered agency
/// migrations, and every migration folder loads (names, numbering, checksums).
@Suite struct MigrationFilesTests {
    static let services = ["Identity", "Records", "Audit", "Notify"]

    @Test(arguments: services)
    func currentDDLEqualsReplayedHistory(service: String) async throws {
        let folder = TestEnvironment.packageRoot.appendingPathComponent("Services/\(service)/Sources/Migrations")
        let migrations = try MigrationSet(folder: folder)
        #expect(!migrations.agency.isEmpty, "\(service) has agency migrations")

        let logger = Logger(service: "test")
        let admin = DatabaseAdmin(superuserURL: TestEnvironment.databaseURL, logger: logger)
        let database = "ddl_\(service.lowercased())_\(TestEnvironment.uniqueSuffix())"
        try await admin.createDatabase(database)
        let pool = try DatabasePool(configuration: .init(url: try admin.url(database: database), maxConnections: 2), logger: logger)
        let migrator = Migrator(pool: pool, migrations: migrations, logger: logger)
        let differences = try await migrator.currentDDLDifferences()
        await pool.shutdown()
        try await admin.dropDatabase(database)
        #expect(differences.isEmpty, "\(service): current.sql differs from the replayed history: \(differences)")
    }
}
