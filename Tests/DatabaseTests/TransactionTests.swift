import Foundation
import MusterCore
import MusterDatabase
import Testing

@Suite(requiresDatabase) struct TransactionTests {
    struct Abort: Error {}

    @Test func commitsWhenTheClosureReturns() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE t (n int)")
            let count = try await pool.transaction { tx in
                try await tx.execute("INSERT INTO t VALUES (1), (2)")
                return try await tx.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self)
            }
            #expect(count == 2)
            #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 2)
        }
    }

    @Test func rollsBackWhenTheClosureThrows() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE t (n int)")
            await #expect(throws: Abort.self) {
                try await pool.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    try await tx.execute("INSERT INTO t VALUES (2)")
                    throw Abort()
                }
            }
            #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test func aFailedStatementRollsBackEvenIfTheClosureCatchesIt() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE t (n int PRIMARY KEY)")
            let error = await #expect(throws: DatabaseError.self) {
                try await pool.transaction { tx in
                    try await tx.execute("INSERT INTO t VALUES (1)")
                    _ = try? await tx.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(error?.isUniqueViolation == true)
            #expect(error?.constraint == "t_pkey")
            #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
            // The connection is clean again: statements run in transactions of their own.
            let first = try await pool.query("SELECT txid_current() AS id")[0].decode("id", as: Int.self)
            #expect(try await pool.query("SELECT txid_current() AS id")[0].decode("id", as: Int.self) != first)
        }
    }

    @Test func beginTravelsWithTheFirstStatementAndEmptyTransactionsCostNothing() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.ping()
            let before = pool.statistics.roundTrips
            try await pool.transaction { _ in }
            #expect(pool.statistics.roundTrips == before)
            try await pool.transaction { tx in _ = try await tx.query("SELECT 1") }
            // BEGIN + SELECT in one round trip, COMMIT in another.
            #expect(pool.statistics.roundTrips == before + 2)
        }
    }

    @Test func aTransactionCannotBeUsedAfterItFinished() async throws {
        try await TestDatabase.withPool { pool in
            let escaped = try await pool.transaction { tx in tx }
            await #expect(throws: PoolError.transactionFinished) { try await escaped.query("SELECT 1") }
        }
    }

    @Test func databaseErrorsCarryTheirFields() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE parent (id int PRIMARY KEY)")
            try await pool.execute("CREATE TABLE child (parent_id int NOT NULL REFERENCES parent (id))")
            let foreign = await #expect(throws: DatabaseError.self) { try await pool.execute("INSERT INTO child VALUES (\(42))") }
            #expect(foreign?.isForeignKeyViolation == true)
            #expect(foreign?.sqlState == "23503")
            #expect(foreign?.table == "child")
            #expect(foreign?.constraint == "child_parent_id_fkey")
            #expect(foreign?.detail?.contains("is not present in table") == true)
            let notNull = await #expect(throws: DatabaseError.self) { try await pool.execute("INSERT INTO child VALUES (NULL)") }
            #expect(notNull?.isNotNullViolation == true)
            #expect(notNull?.column == "parent_id")
            let syntax = await #expect(throws: DatabaseError.self) { try await pool.execute("SELEC 1") }
            #expect(syntax?.sqlState == "42601")
        }
    }
}
