import Foundation
import MusterCore
import MusterDatabase
import Testing

@Suite(requiresDatabase) struct AgencyScopingTests {
    /// Two agency schemas with the same table, each holding its own note.
    private func createAgencies(in pool: DatabasePool) async throws -> (AgencyID, AgencyID) {
        let agencies = (AgencyID(), AgencyID())
        for (agency, note) in [(agencies.0, "first agency's note"), (agencies.1, "second agency's note")] {
            let schema = SchemaName.agency(agency)
            try await pool.execute("CREATE SCHEMA \(schema)")
            try await pool.execute("CREATE TABLE \(schema).notes (body text NOT NULL)")
            try await pool.execute("INSERT INTO \(schema).notes VALUES (\(note))")
        }
        return agencies
    }

    @Test func aScopedTransactionSeesOnlyItsAgency() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let (first, second) = try await createAgencies(in: pool)
            for (agency, expected) in [(first, "first agency's note"), (second, "second agency's note")] {
                let notes = try await pool.withAgency(agency) { tx in
                    try await tx.query("SELECT body FROM notes").map { try $0.decode("body", as: String.self) }
                }
                #expect(notes == [expected])
            }
            // The other agency's table is not reachable unqualified, and nothing leaks to public:
            // an agency without a schema finds nothing (and is told so).
            let unknown = AgencyID()
            await #expect(throws: AgencyNotProvisioned(agency: unknown)) {
                try await pool.withAgency(unknown) { tx in try await tx.query("SELECT body FROM notes") }
            }
        }
    }

    @Test func aReusedConnectionCarriesNoScope() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let (first, _) = try await createAgencies(in: pool)
            let inside = try await pool.withAgency(first) { tx in
                #expect(tx.schema == SchemaName.agency(first))
                return try await tx.query("SHOW search_path")[0].decode("search_path", as: String.self)
            }
            #expect(inside == SchemaName.agency(first).rawValue)
            let before = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            let after = try await pool.query("SHOW search_path")[0].decode("search_path", as: String.self)
            #expect(after == "\"$user\", public")
            // Same backend: the pool of one reused the connection rather than replacing it.
            #expect(try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self) == before)
            // A scope does not survive a failed transaction either.
            _ = try? await pool.withAgency(first) { tx in try await tx.query("SELECT 1/0") }
            #expect(try await pool.query("SHOW search_path")[0].decode("search_path", as: String.self) == "\"$user\", public")
        }
    }

    @Test func scopingTravelsWithTheFirstStatement() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let (first, _) = try await createAgencies(in: pool)
            try await pool.ping()
            let before = pool.statistics
            _ = try await pool.withAgency(first) { tx in try await tx.query("SELECT body FROM notes") }
            let after = pool.statistics
            // BEGIN, SET LOCAL search_path and the SELECT in one round trip; COMMIT in a second.
            #expect(after.statementsSent - before.statementsSent == 4)
            #expect(after.roundTrips - before.roundTrips == 2)
        }
    }

    @Test func aSingleScopedStatementTakesOneRoundTripAndFailsWhole() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let (first, _) = try await createAgencies(in: pool)
            try await pool.ping()
            let before = pool.statistics
            let rows = try await pool.query("INSERT INTO notes VALUES ('second') RETURNING body", inAgency: first)
            #expect(try rows[0].decode("body", as: String.self) == "second")
            #expect(pool.statistics.roundTrips - before.roundTrips == 1)
            await #expect(throws: DatabaseError.self) {
                try await pool.query("INSERT INTO notes SELECT CASE WHEN count(*) > 0 THEN NULL END FROM notes", inAgency: first)
            }
            let notes = try await pool.withAgency(first) { tx in try await tx.query("SELECT count(*) AS n FROM notes")[0].decode("n", as: Int.self) }
            #expect(notes == 2, "committed once, nothing of the failed one")
            #expect(try await pool.query("SHOW search_path")[0].decode("search_path", as: String.self) == "\"$user\", public")
        }
    }

    /// A connection keeps each agency's scoping statement: alternating
    /// agencies on one connection must always reach the right schema, through
    /// both scoped entry points, and leave no scope behind.
    @Test func agenciesInterleavedOnOneConnectionEachSeeTheirOwn() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let (first, second) = try await createAgencies(in: pool)
            let before = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            for round in 0..<6 {
                for (agency, expected) in [(first, "first agency's note"), (second, "second agency's note")] {
                    let body = round.isMultiple(of: 2)
                        ? try await pool.withAgency(agency) { tx in try await tx.query("SELECT body FROM notes") }
                        : try await pool.query("SELECT body FROM notes", inAgency: agency)
                    #expect(try body.map { try $0.decode("body", as: String.self) } == [expected])
                    #expect(try await pool.query("SHOW search_path")[0].decode("search_path", as: String.self) == "\"$user\", public")
                }
            }
            let onExecutor = try await withTaskExecutorPreference(pool.executor) {
                try await pool.withAgency(second) { tx in try await tx.query("SELECT body FROM notes")[0].decode("body", as: String.self) }
            }
            #expect(onExecutor == "second agency's note")
            #expect(try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self) == before)
        }
    }

    @Test func connectionsAreRecycledAfterTouchingTooManyAgencies() async throws {
        try await TestDatabase.withDatabase { url in
            let pool = try DatabasePool(configuration: .init(url: url, maxConnections: 1, maxAgenciesPerConnection: 2),
                                        logger: TestDatabase.logger)
            var backends: [Int32] = []
            for _ in 0..<3 {
                backends.append(try await pool.withAgency(AgencyID()) { tx in
                    try await tx.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
                })
            }
            await pool.shutdown()
            #expect(backends[0] == backends[1])
            #expect(backends[1] != backends[2])
            #expect(pool.statistics.totalOpened == 2)
        }
    }
}

@Suite(requiresDatabase) struct ScopedQueryTests {
    @Test func aSingleScopedStatementTakesOneRoundTrip() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let agency = AgencyID()
            let schema = SchemaName.agency(agency)
            try await pool.execute("CREATE SCHEMA \(schema)")
            try await pool.execute("CREATE TABLE \(schema).notes (body text PRIMARY KEY)")
            let before = pool.statistics.roundTrips
            _ = try await pool.query("INSERT INTO notes VALUES (\("scoped"))", inAgency: agency)
            #expect(pool.statistics.roundTrips == before + 1)
            let notes = try await pool.query("SELECT body FROM notes", inAgency: agency)
            #expect(try notes.map { try $0.decode("body", as: String.self) } == ["scoped"])
            // A failure rolls the transaction back and leaves the connection clean and unscoped.
            let error = await #expect(throws: DatabaseError.self) {
                try await pool.query("INSERT INTO notes VALUES (\("scoped"))", inAgency: agency)
            }
            #expect(error?.isUniqueViolation == true)
            #expect(try await pool.query("SHOW search_path")[0].decode("search_path", as: String.self) == "\"$user\", public")
            #expect(pool.statistics.totalOpened == 1)
        }
    }
}
