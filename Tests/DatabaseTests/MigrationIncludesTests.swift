import Foundation
import MusterCore
import MusterDatabase
import Testing

/// `\include name.sql` in a service's migration takes in a migration `Shared` owns.
@Suite struct MigrationIncludesTests {
    /// The shared settings table as the package holds it, read without the loader.
    private static let sharedSettings = try! String(contentsOf: URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Shared/Database/Migrations/Includes/agency/agency_settings.sql"), encoding: .utf8)

    @Test func anIncludeIsReplacedByTheSharedFileAndTheChecksumCoversTheResult() throws {
        let header = "-- Settings first.\n"
        let fixture = try MigrationFixture([
            "agency/0001_settings.sql": header + "\\include agency_settings.sql\n",
            "agency/0002_notes.sql": "CREATE TABLE notes (body text);\n",
            "agency/current.sql": "\\include agency_settings.sql\nCREATE TABLE notes (body text);\n",
        ])
        defer { fixture.remove() }
        let set = try MigrationSet(folder: fixture.folder)
        let expanded = header + Self.sharedSettings
        #expect(set.agency[0].sql == expanded)
        #expect(set.currentAgencyDDL?.sql == Self.sharedSettings + "CREATE TABLE notes (body text);\n")
        // The checksum is the expanded text's: a file that held the same bytes itself recorded the same one.
        let copy = try MigrationFixture(["agency/0001_settings.sql": expanded, "agency/current.sql": expanded])
        defer { copy.remove() }
        #expect(set.agency[0].checksum == (try MigrationSet(folder: copy.folder)).agency[0].checksum)
        #expect(set.agency[1].sql == "CREATE TABLE notes (body text);\n")
    }

    @Test(arguments: [
        ("\\include no_such_file.sql\n", "no such shared agency migration"),
        ("\\include outbox.sql\n", "no such shared agency migration"),          // a platform table, not an agency one
        ("\\include ../platform/outbox.sql\n", "expects a shared file name"),
        ("\\include agency_settings\n", "expects a shared file name"),
    ])
    func anIncludeMustNameASharedFileOfItsScope(line: String, reason: String) throws {
        let fixture = try MigrationFixture(["agency/0001_a.sql": line, "agency/current.sql": "SELECT 1;"])
        defer { fixture.remove() }
        let error = #expect(throws: MigrationError.self) { try MigrationSet(folder: fixture.folder) }
        #expect(error?.description.contains("agency/0001_a.sql") == true)
        #expect(error?.description.contains(reason) == true, "\(error.map { "\($0)" } ?? "no error")")
    }

    @Test(.enabled(if: TestDatabase.isConfigured, "needs MUSTER_TEST_DATABASE_URL"))
    func anIncludedMigrationRunsLikeAnyOther() async throws {
        let fixture = try MigrationFixture([
            "platform/0001_outbox.sql": "-- The outbox.\n\\include outbox.sql\n",
            "agency/0001_agency_settings.sql": "\\include agency_settings.sql\n",
            "agency/current.sql": "\\include agency_settings.sql\n",
        ])
        defer { fixture.remove() }
        try await TestDatabase.withPool { pool in
            let migrator = Migrator(pool: pool, migrations: try MigrationSet(folder: fixture.folder), logger: TestDatabase.logger)
            _ = try await migrator.migrate()
            let agency = AgencyID()
            try await migrator.provisionAgency(agency)
            #expect(try await migrator.currentDDLDifferences() == [])
            let tables = try await pool.query("""
                SELECT table_schema = 'platform' AS platform, table_name FROM information_schema.tables
                WHERE table_schema IN ('platform', \(SchemaName.agency(agency).rawValue)) AND table_name IN ('outbox', 'agency_settings')
                ORDER BY table_name
                """).map { "\(try $0.decode("platform", as: Bool.self) ? "platform" : "agency").\(try $0.decode("table_name", as: String.self))" }
            #expect(tables == ["agency.agency_settings", "platform.outbox"])
            // A second start verifies the recorded checksums of the expanded files.
            let again = try await Migrator(pool: pool, migrations: try MigrationSet(folder: fixture.folder), logger: TestDatabase.logger).migrate()
            #expect(again.platformVersionsApplied.isEmpty)
        }
    }
}
