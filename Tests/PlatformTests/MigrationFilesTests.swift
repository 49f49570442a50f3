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

    /// SHA-256 of every numbered file as databases recorded it when it was applied.
    /// A start refuses a changed one, so these never change: files that held a
    /// copy of a shared migration and now `\include` it expand to the same bytes.
    static let recordedChecksums: [String: String] = [
        "Identity/agency/0001_agency_settings.sql": "d560288bea0a3fc5ab01d0c25ad1ca5f825fc90cbf806aa0b75d366971a2afd2",
        "Identity/agency/0002_identity.sql": "d45a0525e7f357b3cfda7537f585407b824aa970f8d45b15d298a0eded0ce32d",
        "Identity/platform/0001_agencies.sql": "a1f6dcd78396423addb18bab8baf029a82efc5acecc2c2f3e347f5ea4e22b354",
        "Identity/platform/0002_outbox.sql": "8072587f6208ab54800f4e36bc3f040038350c46ec82e456bf7ee398bf779671",
        "Identity/platform/0003_identity_registry.sql": "ba6eddadb9670a6dc3e2cb0ad3b4c020810e06ee45a810bc0e449858e168a4dd",
        "Records/agency/0001_agency_settings.sql": "d560288bea0a3fc5ab01d0c25ad1ca5f825fc90cbf806aa0b75d366971a2afd2",
        "Records/agency/0002_records.sql": "8bf3f47f0390bb7ac5d74f6dcc464edf748183d936b82f3d07c291fe1fabbc37",
        "Records/agency/0003_compliance.sql": "50a4d3194fd337a748676b1f6021f75e3893d00cda7622b538c8a2bc128e7ad4",
        "Records/platform/0001_outbox.sql": "8072587f6208ab54800f4e36bc3f040038350c46ec82e456bf7ee398bf779671",
        "Audit/agency/0001_agency_settings.sql": "d560288bea0a3fc5ab01d0c25ad1ca5f825fc90cbf806aa0b75d366971a2afd2",
        "Audit/agency/0002_audit_chain.sql": "2d6e340e60b7af7da490ab00eabbc44e2807c97156df00d13e1a078f5e21c01a",
        "Audit/platform/0001_audit_registry.sql": "424d6adc7de4e85cf353e76d4966ea3fdc1be3f3fb038b0b44ff8d3e837971d5",
        "Notify/agency/0001_agency_settings.sql": "d560288bea0a3fc5ab01d0c25ad1ca5f825fc90cbf806aa0b75d366971a2afd2",
        "Notify/agency/0002_messages.sql": "8aa2cab1e51fe84462a4cd698fa339df140e67c7e613171fc773b963b3de0b67",
        "Notify/platform/0001_outbox.sql": "8072587f6208ab54800f4e36bc3f040038350c46ec82e456bf7ee398bf779671",
        "Notify/platform/0002_delivery.sql": "746fb68c46feb80171ae58b8a75a460a9cf190ef45d92a88735c089ce80c8cf4",
    ]

    @Test(arguments: services)
    func checksumsOfAppliedFilesNeverChange(service: String) throws {
        let folder = TestEnvironment.packageRoot.appendingPathComponent("Services/\(service)/Sources/Migrations")
        let migrations = try MigrationSet(folder: folder)
        for migration in migrations.platform + migrations.agency {
            guard let recorded = Self.recordedChecksums["\(service)/\(migration.path)"] else { continue }
            #expect(migration.checksum == recorded, "\(service)/\(migration.path)")
        }
        #expect(Self.recordedChecksums.keys.filter { $0.hasPrefix(service + "/") }.count
                == (migrations.platform + migrations.agency).filter { Self.recordedChecksums["\(service)/\($0.path)"] != nil }.count,
                "every pinned file of \(service) is still there")
    }
}
