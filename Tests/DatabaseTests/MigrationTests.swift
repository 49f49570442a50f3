import Foundation
import MusterCore
import MusterDatabase
import Testing

@Suite(requiresDatabase) struct MigrationTests {
    private func migrator(_ pool: DatabasePool, _ fixture: MigrationFixture, workers: Int = 3) throws -> Migrator {
        Migrator(pool: pool, migrations: try MigrationSet(folder: fixture.folder), logger: TestDatabase.logger, workers: workers)
    }

    private func version(of agency: AgencyID, in pool: DatabasePool) async throws -> Int? {
        try await pool.query("SELECT version FROM platform.agency_schemas WHERE agency_id = \(agency)").first?.decode("version")
    }

    private func applied(_ migration: String, in agency: AgencyID, pool: DatabasePool) async throws -> Int {
        try await pool.withAgency(agency) { tx in
            try await tx.query("SELECT count(*) AS n FROM applied_log WHERE migration = \(migration)")[0].decode("n", as: Int.self)
        }
    }

    @Test func migratesPlatformThenEveryAgencySchema() async throws {
        let v1 = try MigrationFixture.version1(), v2 = try MigrationFixture.version2()
        defer { v1.remove(); v2.remove() }
        try await TestDatabase.withPool { pool in
            let first = try await migrator(pool, v1).migrate()
            #expect(first.platformVersionsApplied == [1])
            #expect(first.agencySchemasPending == 0)
            let agencies = [AgencyID(), AgencyID()]
            for agency in agencies { try await migrator(pool, v1).provisionAgency(agency) }
            try await pool.execute("INSERT INTO platform.agencies VALUES (\(UUID()), \("metro"))")

            let second = try await migrator(pool, v2).migrate()
            #expect(second.platformVersionsApplied == [])
            #expect(second.agencySchemasPending == 2 && second.agencySchemasMigrated == 2 && second.isComplete)
            for agency in agencies {
                #expect(try await version(of: agency, in: pool) == 2)
                let status = try await pool.withAgency(agency) { tx in
                    try await tx.execute("INSERT INTO officers (id, name) VALUES (\(UUID()), \("Ada"))")
                    return try await tx.query("SELECT status::text AS status FROM officers")[0].decode("status", as: String.self)
                }
                #expect(status == "active")
            }
            let history = try await pool.query("""
                SELECT version, name FROM platform.schema_migrations WHERE schema_name = \(SchemaName.agency(agencies[0]).rawValue)
                ORDER BY version
                """)
            #expect(try history.map { try $0.decode("name", as: String.self) } == ["current.sql", "0002_status_and_units.sql"])
        }
    }

    @Test func aStartWithNothingPendingSendsOneQuery() async throws {
        let v2 = try MigrationFixture.version2()
        defer { v2.remove() }
        try await TestDatabase.withDatabase { url in
            let setup = try DatabasePool(configuration: .init(url: url, maxConnections: 3), logger: TestDatabase.logger)
            _ = try await migrator(setup, v2).migrate()
            for _ in 0..<5 { try await migrator(setup, v2).provisionAgency(AgencyID()) }
            await setup.shutdown()

            // A fresh process: a new pool, a new migrator.
            let pool = try DatabasePool(configuration: .init(url: url, maxConnections: 3), logger: TestDatabase.logger)
            let report = try await migrator(pool, v2).migrate()
            #expect(report.statementsSent == 1)
            #expect(pool.statistics.statementsSent == 1)
            #expect(pool.statistics.roundTrips == 1)
            #expect(report.agencySchemasPending == 0 && report.platformVersionsApplied.isEmpty)
            await pool.shutdown()
        }
    }

    @Test func twoMigratorsAtOnceApplyEachMigrationOnce() async throws {
        let v1 = try MigrationFixture.version1(), v2 = try MigrationFixture.version2()
        defer { v1.remove(); v2.remove() }
        try await TestDatabase.withDatabase { url in
            let setup = try DatabasePool(configuration: .init(url: url, maxConnections: 3), logger: TestDatabase.logger)
            _ = try await migrator(setup, v1).migrate()
            let agencies = (0..<12).map { _ in AgencyID() }
            for agency in agencies { try await migrator(setup, v1).provisionAgency(agency) }

            // Two replicas, each with its own pool, start at the same moment.
            let pools = try (0..<2).map { _ in
                try DatabasePool(configuration: .init(url: url, maxConnections: 3), logger: TestDatabase.logger)
            }
            async let firstReport = migrator(pools[0], v2).migrate()
            async let secondReport = migrator(pools[1], v2).migrate()
            let reports = try await [firstReport, secondReport]
            #expect(reports[0].isComplete && reports[1].isComplete)
            #expect(reports[0].agencySchemasMigrated + reports[1].agencySchemasMigrated == agencies.count)
            for agency in agencies {
                #expect(try await version(of: agency, in: setup) == 2)
                #expect(try await applied("0002", in: agency, pool: setup) == 1)
            }
            for pool in pools { await pool.shutdown() }
            await setup.shutdown()
        }
    }

    @Test func aChangedMigrationStopsTheStart() async throws {
        let v1 = try MigrationFixture.version1()
        let edited = try MigrationFixture(["platform/0001_agencies.sql": MigrationFixture.platformV1,
                                           "agency/0001_officers.sql": MigrationFixture.agencyV1 + "\n-- tidied up later",
                                           "agency/current.sql": MigrationFixture.agencyV1])
        defer { v1.remove(); edited.remove() }
        try await TestDatabase.withPool { pool in
            _ = try await migrator(pool, v1).migrate()
            try await migrator(pool, v1).provisionAgency(AgencyID())
            let error = await #expect(throws: MigrationError.self) { try await migrator(pool, edited).migrate() }
            guard case .checksumMismatch(let path, _, _)? = error else {
                Issue.record("expected a checksum mismatch, got \(String(describing: error))")
                return
            }
            #expect(path == "agency/0001_officers.sql")
            #expect("\(error!)".contains("agency/0001_officers.sql was changed after it was applied"))
        }
    }

    @Test func aSchemaThatFailsIsReportedAndTheOthersMigrate() async throws {
        let v1 = try MigrationFixture.version1(), v2 = try MigrationFixture.version2()
        defer { v1.remove(); v2.remove() }
        try await TestDatabase.withPool { pool in
            _ = try await migrator(pool, v1).migrate()
            let agencies = (0..<4).map { _ in AgencyID() }
            for agency in agencies { try await migrator(pool, v1).provisionAgency(agency) }
            let broken = agencies[1]
            // Someone created by hand a table that migration 0002 also creates.
            _ = try await pool.withAgency(broken) { tx in try await tx.execute("CREATE TABLE units (id int)") }

            let report = try await migrator(pool, v2).migrate()
            #expect(report.failures.map(\.schema) == [SchemaName.agency(broken)])
            #expect(report.failures.first?.reason.contains("\"units\" already exists") == true)
            #expect(report.agencySchemasMigrated == 3)
            for agency in agencies where agency != broken {
                #expect(try await version(of: agency, in: pool) == 2)
            }
            // Nothing of 0002 stayed behind in the failed schema.
            #expect(try await version(of: broken, in: pool) == 1)
            #expect(try await applied("0002", in: broken, pool: pool) == 0)
            let type = try await pool.query("SELECT count(*) AS n FROM pg_type WHERE typname = 'officer_status' AND typnamespace = \(SchemaName.agency(broken).rawValue)::regnamespace")
            #expect(try type[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test func currentDDLEqualsTheReplayedHistory() async throws {
        let v2 = try MigrationFixture.version2()
        let drifted = try MigrationFixture([
            "agency/0001_officers.sql": MigrationFixture.agencyV1,
            "agency/0002_status_and_units.sql": MigrationFixture.agencyV2,
            "agency/current.sql": MigrationFixture.currentV2
                .replacingOccurrences(of: "CREATE INDEX officers_name ON officers (name);", with: "")
                .replacingOccurrences(of: "hired_on date DEFAULT CURRENT_DATE", with: "hired_on date"),
        ])
        defer { v2.remove(); drifted.remove() }
        try await TestDatabase.withPool { pool in
            #expect(try await migrator(pool, v2).currentDDLDifferences() == [])
            let differences = try await migrator(pool, drifted).currentDDLDifferences()
            #expect(differences == [
                "only after replaying migrations: column officers.hired_on date default CURRENT_DATE",
                "only after replaying migrations: index officers_name: CREATE INDEX officers_name ON <schema>.officers USING btree (name)",
                "only in current.sql: column officers.hired_on date",
            ])
            // The check leaves nothing behind.
            let schemas = try await pool.query("SELECT count(*) AS n FROM pg_namespace WHERE nspname LIKE 'agency_%'")
            #expect(try schemas[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test func provisioningIsIdempotentAndSafeAfterAPartialFailure() async throws {
        let failing = try MigrationFixture([
            "agency/0001_officers.sql": MigrationFixture.agencyV1,
            "agency/current.sql": MigrationFixture.agencyV1 + "\nCREATE TABLE broken (officer_id uuid REFERENCES nowhere (id));",
        ])
        let v1 = try MigrationFixture.version1(), v2 = try MigrationFixture.version2()
        defer { failing.remove(); v1.remove(); v2.remove() }
        try await TestDatabase.withPool { pool in
            let agency = AgencyID()
            let schema = SchemaName.agency(agency)
            await #expect(throws: MigrationError.self) { try await migrator(pool, failing).provisionAgency(agency) }
            let leftover = try await pool.query("SELECT count(*) AS n FROM pg_namespace WHERE nspname = \(schema.rawValue)")
            #expect(try leftover[0].decode("n", as: Int.self) == 0)
            #expect(try await version(of: agency, in: pool) == nil)

            try await migrator(pool, v1).provisionAgency(agency)
            try await migrator(pool, v1).provisionAgency(agency)
            #expect(try await version(of: agency, in: pool) == 1)
            // Provisioning an agency that is behind brings it up to date.
            try await migrator(pool, v2).provisionAgency(agency)
            #expect(try await version(of: agency, in: pool) == 2)
            #expect(try await pool.query("SELECT count(*) AS n FROM platform.agency_schemas")[0].decode("n", as: Int.self) == 1)
        }
    }
}
