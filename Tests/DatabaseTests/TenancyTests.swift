import Foundation
import MusterCore
import MusterDatabase
import Testing

@Suite struct TenancyTests {
    @Test func anAgencylessRecordBelongsToThePlatform() {
        let agency = AgencyID()
        #expect(Tenancy(nil) == .platform)
        #expect(Tenancy(agency) == .agency(agency))
        #expect(Tenancy.platform.schema == .platform)
        #expect(Tenancy.agency(agency).schema == .agency(agency))
        #expect(Tenancy.platform.agencyID == nil)
        #expect(Tenancy.agency(agency).agencyID == agency)
        #expect(Tenancy.platform.description == "platform")
        #expect(Tenancy.agency(agency).description == agency.description)
    }
}

/// PostgreSQL's answers for a schema that does not exist, mapped to one error.
@Suite(requiresDatabase) struct AgencyNotProvisionedTests {
    /// An agency with a schema and one table in it.
    private func provisioned(in pool: DatabasePool) async throws -> AgencyID {
        let agency = AgencyID()
        try await pool.execute("CREATE SCHEMA \(SchemaName.agency(agency))")
        try await pool.execute("CREATE TABLE \(SchemaName.agency(agency)).notes (body text NOT NULL)")
        return agency
    }

    @Test func anUnqualifiedNameInAMissingSchemaIsNotProvisioned() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let missing = AgencyID()
            // 42P01 from PostgreSQL: search_path names a schema that is not there.
            await #expect(throws: AgencyNotProvisioned(agency: missing)) {
                try await pool.withAgency(missing) { tx in try await tx.query("SELECT body FROM notes") }
            }
            await #expect(throws: AgencyNotProvisioned(agency: missing)) {
                try await pool.query("SELECT body FROM notes", inAgency: missing)
            }
            // The connection is usable afterwards, outside any transaction.
            let one = try await pool.query("SELECT 1 AS one")[0].decode("one", as: Int.self)
            #expect(one == 1)
        }
    }

    @Test func aQualifiedNameInAMissingSchemaIsNotProvisioned() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let missing = AgencyID()
            let schema = Tenancy.agency(missing).schema
            // 3F000 from PostgreSQL: an object is to be created in a schema that does not exist.
            let direct = await #expect(throws: DatabaseError.self) {
                try await pool.execute("CREATE TABLE \(schema).notes (body text)")
            }
            #expect(direct?.isInvalidSchemaName == true)
            await #expect(throws: AgencyNotProvisioned(agency: missing)) {
                try await pool.within(.agency(missing)) { tx in try await tx.execute("CREATE TABLE \(schema).notes (body text)") }
            }
            // 42P01: a qualified table in a schema that does not exist.
            await #expect(throws: AgencyNotProvisioned(agency: missing)) {
                try await pool.within(.agency(missing)) { tx in try await tx.execute("INSERT INTO \(schema).notes (body) VALUES ('x')") }
            }
        }
    }

    @Test func aMissingTableInAProvisionedAgencyStaysADatabaseError() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let agency = try await provisioned(in: pool)
            let scoped = await #expect(throws: DatabaseError.self) {
                try await pool.withAgency(agency) { tx in try await tx.query("SELECT body FROM no_such_table") }
            }
            #expect(scoped?.isUndefinedTable == true)
            let single = await #expect(throws: DatabaseError.self) {
                try await pool.query("SELECT body FROM no_such_table", inAgency: agency)
            }
            #expect(single?.isUndefinedTable == true)
            // Other errors pass unchanged too.
            let division = await #expect(throws: DatabaseError.self) {
                try await pool.withAgency(agency) { tx in try await tx.query("SELECT 1/0") }
            }
            #expect(division?.sqlState == "22012")
        }
    }

    @Test func aFailureTheBodyCaughtIsStillMapped() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let missing = AgencyID()
            // The transaction does not commit after a failed statement: the error comes back at commit, mapped.
            await #expect(throws: AgencyNotProvisioned(agency: missing)) {
                try await pool.withAgency(missing) { tx in _ = try? await tx.query("SELECT body FROM notes") }
            }
        }
    }

    @Test func platformWorkIsNeverMistakenForAnAgency() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let agency = try await provisioned(in: pool)
            // Unscoped: the session's own search_path, and a missing table is PostgreSQL's error.
            let path = try await pool.within(.platform) { tx in
                try await tx.query("SHOW search_path")[0].decode("search_path", as: String.self)
            }
            #expect(path == "\"$user\", public")
            let error = await #expect(throws: DatabaseError.self) {
                try await pool.within(.platform) { tx in try await tx.query("SELECT body FROM notes") }
            }
            #expect(error?.isUndefinedTable == true)
            // An agency's tenancy is scoped to its schema.
            _ = try await pool.within(.agency(agency)) { tx in try await tx.execute("INSERT INTO notes (body) VALUES ('kept')") }
            #expect(try await pool.query("SELECT count(*) AS n FROM \(SchemaName.agency(agency)).notes")[0].decode("n", as: Int.self) == 1)
        }
    }
}
