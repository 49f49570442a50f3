import Foundation
import MusterCore
import MusterDatabase
import MusterTestSupport
import Testing

/// Through a real PgBouncer in transaction mode (`deploy/postgres/pgbouncer-test.sh`
/// starts one with two server connections per database and sets
/// `MUSTER_TEST_POOLER_PORT`): pools that share its server connections never see
/// what another's transaction set — an agency's `search_path`, a local setting —
/// and, with unnamed statements, never trip over another's prepared statements,
/// which named ones do on PgBouncer 1.18.
@Suite(requiresDatabase, .enabled(if: TestEnvironment.poolerPort != nil, "needs MUSTER_TEST_POOLER_PORT (pgbouncer-test.sh)"))
struct PgBouncerTests {
    /// Runs `body` with pools through the pooler on a fresh database holding one agency schema.
    private func withPooledDatabase(pools count: Int, preparedStatements: Bool,
                                    _ body: ([DatabasePool], AgencyID, String) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { url in
            var components = URLComponents(string: url)!
            let direct = try DatabasePool(configuration: .init(url: url, maxConnections: 1), logger: TestDatabase.logger)
            let agency = AgencyID()
            let schema = SchemaName.agency(agency)
            try await direct.execute("CREATE SCHEMA \(schema)")
            try await direct.execute("CREATE TABLE \(schema).notes (body text NOT NULL)")
            try await direct.execute("INSERT INTO \(schema).notes VALUES ('the agency''s note')")
            await direct.shutdown()
            components.port = TestEnvironment.poolerPort
            let pools = try (0..<count).map { _ in
                try DatabasePool(configuration: .init(url: components.string!, maxConnections: 3,
                                                      usesPreparedStatements: preparedStatements), logger: TestDatabase.logger)
            }
            do {
                try await body(pools, agency, String(components.path.dropFirst()))
            } catch {
                for pool in pools { await pool.shutdown() }
                throw error
            }
            for pool in pools { await pool.shutdown() }
        }
    }

    @Test func noTransactionSeesWhatAnotherSet() async throws {
        try await withPooledDatabase(pools: 3, preparedStatements: false) { pools, agency, database in
            let schema = SchemaName.agency(agency).rawValue
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, pool) in pools.enumerated() {
                    group.addTask {
                        for round in 0..<60 {
                            if (index + round) % 2 == 0 {
                                let seen = try await pool.withAgency(agency) { tx in
                                    _ = try await tx.query("SELECT set_config('statement_timeout', '4321ms', true)")
                                    return try await tx.query("""
                                        SELECT current_setting('search_path') AS path, current_setting('statement_timeout') AS timeout,
                                               (SELECT body FROM notes) AS note
                                        """)[0]
                                }
                                #expect(try seen.decode("path", as: String.self).contains(schema))
                                #expect(try seen.decode("timeout", as: String.self) == "4321ms")
                                #expect(try seen.decode("note", as: String.self) == "the agency's note")
                            } else {
                                let seen = try await pool.query("""
                                    SELECT current_setting('search_path') AS path, current_setting('statement_timeout') AS timeout,
                                           to_regclass('notes') IS NULL AS unreachable
                                    """)[0]
                                #expect(try seen.decode("path", as: String.self) == "\"$user\", public", "a search_path leaked")
                                #expect(try seen.decode("timeout", as: String.self) == "0", "a setting leaked")
                                #expect(try seen.decode("unreachable", as: Bool.self), "the agency's table is visible unscoped")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The clients really shared the pooler's few server connections.
            let show = try Command.run("psql", ["postgresql://postgres@127.0.0.1:\(TestEnvironment.poolerPort!)/pgbouncer",
                                                 "-qtAXF", ",", "-c", "SHOW POOLS"])
            let rows: [[Substring]] = show.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let row = try #require(rows.first { $0.count > 9 && $0[0] == database && $0[1] == "postgres" }, "\(show.stdout)")
            // SHOW POOLS: database, user, cl_active, cl_waiting, cl_cancel_req, sv_active, sv_idle, sv_used, sv_tested, sv_login, …
            let counts: [Int] = row[2...9].map { Int($0) ?? 0 }
            let clients = counts[0] + counts[1]
            let servers = counts[3] + counts[4] + counts[5] + counts[6] + counts[7]
            #expect(clients > servers && servers <= 2, "\(clients) clients on \(servers) server connections")
        }
    }

    @Test func namedStatementsCollideOnThisPgBouncerAndUnnamedOnesDoNot() async throws {
        // The same statement from many connections: named, each client's `muster_1`
        // lands on server connections other clients prepared theirs on.
        let statement: SQL = "SELECT count(*) AS n FROM pg_class WHERE relname = \("pg_class")"
        func hammer(_ pools: [DatabasePool]) async -> Int {
            await withTaskGroup(of: Int.self) { group in
                for pool in pools {
                    for _ in 0..<3 {
                        group.addTask {
                            var failures = 0
                            for _ in 0..<40 where (try? await pool.query(statement)) == nil { failures += 1 }
                            return failures
                        }
                    }
                }
                return await group.reduce(0, +)
            }
        }
        try await withPooledDatabase(pools: 2, preparedStatements: false) { pools, _, _ in
            #expect(await hammer(pools) == 0)
        }
        try await withPooledDatabase(pools: 2, preparedStatements: true) { pools, _, _ in
            #expect(await hammer(pools) > 0, "named statements through PgBouncer 1.18 should have collided")
        }
    }
}
