import Foundation
import MusterCore
import MusterDatabase
import Testing

/// `pool.checking`: a condition sent with the first round trip of the task's
/// first transaction in its agency, which nothing the task sends outlives when false.
@Suite(requiresDatabase) struct AgencyCheckTests {
    private struct Refused: Error {}

    /// An agency schema with a `gate` (the condition reads it) and a `notes` table.
    private func createAgency(open: Bool, in pool: DatabasePool) async throws -> AgencyID {
        let agency = AgencyID()
        let schema = SchemaName.agency(agency)
        try await pool.execute("CREATE SCHEMA \(schema)")
        try await pool.execute("CREATE TABLE \(schema).gate (open boolean NOT NULL)")
        try await pool.execute("INSERT INTO \(schema).gate VALUES (\(open))")
        try await pool.execute("CREATE TABLE \(schema).notes (body text NOT NULL)")
        return agency
    }

    private let condition: SQL = "SELECT open FROM gate"

    @Test func aHeldCheckTravelsWithTheFirstStatement() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let agency = try await createAgency(open: true, in: pool)
            try await pool.ping()
            let before = pool.statistics
            let count = try await pool.checking(condition, inAgency: agency, otherwise: Refused()) {
                try await pool.withAgency(agency) { tx in
                    try await tx.execute("INSERT INTO notes VALUES ('kept')")
                    return try await tx.query("SELECT count(*) AS n FROM notes")[0].decode("n", as: Int.self)
                }
            }
            #expect(count == 1)
            // BEGIN + scope + check + INSERT, then the SELECT, then COMMIT: three round trips, no separate check.
            #expect(pool.statistics.roundTrips - before.roundTrips == 3)
        }
    }

    @Test func aFailedCheckUndoesTheWritesSentWithItAndWinsOverTheRoutesOwnError() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let agency = try await createAgency(open: false, in: pool)
            await #expect(throws: Refused.self) {
                try await pool.checking(condition, inAgency: agency, otherwise: Refused()) {
                    try await pool.withAgency(agency) { tx in
                        // Caught here, still not committed: the transaction rolls back and the refusal is thrown.
                        _ = try? await tx.execute("INSERT INTO notes VALUES ('refused')")
                    }
                }
            }
            await #expect(throws: Refused.self) {
                try await pool.checking(condition, inAgency: agency, otherwise: Refused()) {
                    _ = try await pool.query("INSERT INTO notes VALUES ('refused') RETURNING 1", inAgency: agency)
                }
            }
            await #expect(throws: Refused.self) {
                try await pool.checking(condition, inAgency: agency, otherwise: Refused()) {
                    throw CancellationError()   // touched no database: checked on the way out
                }
            }
            let notes = try await pool.withAgency(agency) { tx in try await tx.query("SELECT body FROM notes") }
            #expect(notes.isEmpty)
        }
    }

    @Test func workOutsideTheAgencyRunsTheCheckFirst() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let closed = try await createAgency(open: false, in: pool)
            let other = try await createAgency(open: true, in: pool)
            await #expect(throws: Refused.self) {
                try await pool.checking(condition, inAgency: closed, otherwise: Refused()) {
                    try await pool.withAgency(other) { tx in try await tx.execute("INSERT INTO notes VALUES ('elsewhere')") }
                }
            }
            await #expect(throws: Refused.self) {
                try await pool.checking(condition, inAgency: closed, otherwise: Refused()) {
                    try await pool.execute("INSERT INTO \(SchemaName.agency(other)).notes VALUES ('autocommit')")
                }
            }
            #expect(try await pool.withAgency(other) { tx in try await tx.query("SELECT body FROM notes") }.isEmpty)
            // Held once, not sent again.
            let open = try await createAgency(open: true, in: pool)
            try await pool.checking(condition, inAgency: open, otherwise: Refused()) {
                try await pool.withAgency(open) { tx in try await tx.execute("INSERT INTO notes VALUES ('one')") }
                let before = pool.statistics
                try await pool.withAgency(open) { tx in try await tx.execute("INSERT INTO notes VALUES ('two')") }
                #expect(pool.statistics.statementsSent - before.statementsSent == 4)   // BEGIN, scope, INSERT, COMMIT
            }
        }
    }

    @Test func pipelinedReadsShareOneRoundTrip() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let agency = try await createAgency(open: true, in: pool)
            try await pool.ping()
            let before = pool.statistics
            let rows = try await pool.withAgency(agency) { tx in
                try await tx.pipeline(["SELECT open FROM gate", "SELECT count(*) AS n FROM notes", "SELECT 7 AS seven"])
            }
            #expect(try rows.map { try $0[0].decode(column: 0, as: String.self) } == ["t", "0", "7"])
            #expect(pool.statistics.roundTrips - before.roundTrips == 2)
        }
    }
}
