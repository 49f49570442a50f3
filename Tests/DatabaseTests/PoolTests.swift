import Foundation
import MusterCore
import MusterDatabase
import Synchronization
import Testing

@Suite(requiresDatabase) struct PoolTests {
    @Test func callersBeyondThePoolSizeWaitThenSucceed() async throws {
        try await TestDatabase.withPool(maxConnections: 2) { pool in
            let start = ContinuousClock.now
            let backends = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await pool.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.1)")[0].decode("pid", as: Int32.self)
                    }
                }
                return try await group.reduce(into: [Int32]()) { $0.append($1) }
            }
            #expect(backends.count == 8)
            #expect(Set(backends).count <= 2)
            #expect(ContinuousClock.now - start >= .milliseconds(400))
            #expect(pool.statistics.totalOpened <= 2)
            #expect(pool.statistics.waiters == 0)
        }
    }

    @Test func aWaiterTimesOutWithTheDocumentedError() async throws {
        try await TestDatabase.withPool(maxConnections: 1, acquireTimeout: .milliseconds(200)) { pool in
            async let holder: Void = pool.transaction { tx in _ = try await tx.query("SELECT pg_sleep(0.8)") }
            try await eventually { pool.statistics.inUse == 1 }
            let start = ContinuousClock.now
            await #expect(throws: PoolError.acquireTimeout(waited: .milliseconds(200), maxConnections: 1)) {
                try await pool.query("SELECT 1")
            }
            // Not too early; the error itself shows it was not too late (once the holder's
            // 0.8 s are over, a waiter still queued gets the connection and succeeds).
            #expect(ContinuousClock.now - start >= .milliseconds(200))
            #expect(pool.statistics.acquireTimeouts == 1)
            try await holder
            try await pool.ping()
        }
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            async let holder: Void = pool.transaction { tx in _ = try await tx.query("SELECT pg_sleep(0.5)") }
            try await eventually { pool.statistics.inUse == 1 }
            let waiter = Task { try await pool.query("SELECT 1") }
            try await eventually { pool.statistics.waiters == 1 }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(pool.statistics.waiters == 0)
            try await holder
        }
    }

    @Test func aConnectionKilledWhileIdleIsReplaced() async throws {
        try await TestDatabase.withPool(maxConnections: 1) { pool in
            let victim = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            let admin = try DatabasePool(configuration: .init(url: TestDatabase.superuserURL!, maxConnections: 1),
                                         logger: TestDatabase.logger)
            try await admin.execute("SELECT pg_terminate_backend(\(victim))")
            try await eventually { try await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = \(victim)").isEmpty }
            await admin.shutdown()
            // The loop thread notices the closed socket by itself; give it a moment to be scheduled.
            try await Task.sleep(for: .milliseconds(200))
            // No error for the caller: the pool noticed the closed socket and opens a new connection.
            let replacement = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            #expect(replacement != victim)
            #expect(pool.statistics.totalOpened == 2)
        }
    }

    @Test func connectionsAreRecycledByAge() async throws {
        try await TestDatabase.withDatabase { url in
            let pool = try DatabasePool(configuration: .init(url: url, maxConnections: 1, maxConnectionAge: .milliseconds(200)),
                                        logger: TestDatabase.logger)
            let first = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            try await Task.sleep(for: .milliseconds(300))
            let second = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            await pool.shutdown()
            #expect(first != second)
        }
    }

    @Test func aConnectionFailureIsClearAndNeverShowsThePassword() async throws {
        let secret = "hunter2-do-not-log"
        let configuration = DatabasePool.Configuration(url: "postgresql://muster:\(secret)@127.0.0.1:1/muster", maxConnections: 1)
        #expect(!configuration.description.contains(secret))
        #expect(configuration.redactedURL == "postgresql://muster:***@127.0.0.1:1/muster")
        let pool = try DatabasePool(configuration: configuration, logger: TestDatabase.logger)
        let error = await #expect(throws: PoolError.self) { try await pool.ping() }
        guard case .connectionFailed(let reason)? = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("127.0.0.1"))
        #expect(!"\(error!)".contains(secret))
        await pool.shutdown()
        #expect(pool.statistics.inUse == 0 && pool.statistics.opening == 0)
    }

    @Test func anUnparsableURLIsRejectedWithoutThePassword() {
        let error = #expect(throws: PoolError.self) {
            try DatabasePool(configuration: .init(url: "postgresql://muster:pa%zzss@127.0.0.1/muster?nonsense=1"),
                             logger: TestDatabase.logger)
        }
        #expect(error.map { "\($0)" }?.contains("pa%zzss") == false)
        #expect(error.map { "\($0)" }?.contains("invalid") == true)
    }

    @Test func shutdownFailsWaitersAndLaterCalls() async throws {
        try await TestDatabase.withDatabase { url in
            let pool = try DatabasePool(configuration: .init(url: url, maxConnections: 1), logger: TestDatabase.logger)
            let holder = Task { try await pool.transaction { tx in _ = try await tx.query("SELECT pg_sleep(0.3)") } }
            try await eventually { pool.statistics.inUse == 1 }
            let waiter = Task { try await pool.query("SELECT 1") }
            try await eventually { pool.statistics.waiters == 1 }
            await pool.shutdown()
            await #expect(throws: PoolError.shutDown) { try await waiter.value }
            // The leased connection was allowed to finish before the pool closed.
            try await holder.value
            await #expect(throws: PoolError.shutDown) { try await pool.query("SELECT 1") }
            #expect(pool.statistics.idle == 0 && pool.statistics.inUse == 0)
        }
    }

    @Test func statisticsFeedTheMetricsRegistry() async throws {
        try await TestDatabase.withPool(maxConnections: 3) { pool in
            try await pool.ping()
            let metrics = MetricsRegistry()
            pool.registerMetrics(in: metrics)
            let text = metrics.render()
            #expect(text.contains("muster_db_connections{state=\"idle\"} 1\n"))
            #expect(text.contains("muster_db_connections{state=\"in_use\"} 0\n"))
            #expect(text.contains("muster_db_waiters 0\n"))
            #expect(text.contains("muster_db_statements_sent 1\n"))
        }
    }

    @Test func statementsOfOneTransactionRunInOrderEvenWhenIssuedConcurrently() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE t (n int)")
            try await pool.transaction { tx in
                async let first = tx.execute("INSERT INTO t VALUES (1)")
                async let second = tx.execute("INSERT INTO t VALUES (2)")
                _ = try await (first, second)
            }
            #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 2)
        }
    }

    /// Results often arrive while their caller is still sending (and holds the
    /// connection's lock): the loop then leaves them to that caller. A lost
    /// hand-over would hang a caller; a mixed-up one would return another's row.
    @Test func manyConcurrentCallersEachGetTheirOwnResult() async throws {
        try await TestDatabase.withPool(maxConnections: 3) { pool in
            let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
                for client in 0..<8 {
                    group.addTask(executorPreference: client.isMultiple(of: 2) ? pool.executor : nil) {
                        var mismatches = 0
                        for value in 0..<300 {
                            let expected = client * 1000 + value
                            let got = try await pool.query("SELECT \(expected) AS v")[0].decode("v", as: Int.self)
                            if got != expected { mismatches += 1 }
                        }
                        return mismatches
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(mismatches == 0)
        }
    }

    @Test func statementsArePreparedOncePerConnectionUnlessTurnedOff() async throws {
        try await TestDatabase.withDatabase { url in
            for prepared in [true, false] {
                let pool = try DatabasePool(configuration: .init(url: url, maxConnections: 1, usesPreparedStatements: prepared),
                                            logger: TestDatabase.logger)
                for value in 1...3 { _ = try await pool.query("SELECT \(value) AS v") }
                let count = try await pool.withAgency(AgencyID()) { tx in
                    try await tx.query("SELECT count(*) AS n FROM pg_prepared_statements")[0].decode("n", as: Int.self)
                }
                await pool.shutdown()
                // The SELECT above, BEGIN, SET LOCAL search_path and this count; none at all for a
                // pooler without prepared statements.
                #expect(count == (prepared ? 4 : 0))
            }
        }
    }

    @Test func tasksCanRunOnThePoolsExecutor() async throws {
        try await TestDatabase.withPool { pool in
            let sum = try await withTaskExecutorPreference(pool.executor) {
                var sum = 0
                for value in 1...20 { sum += try await pool.query("SELECT \(value) AS v")[0].decode("v", as: Int.self) }
                return sum
            }
            #expect(sum == 210)
        }
    }

    /// A connection given back on its loop's own thread stays on that loop's
    /// shelf: idle for the statistics, taken by a caller elsewhere rather than
    /// left while that caller times out, and closed by shutdown.
    @Test func aConnectionKeptByItsLoopServesOtherCallers() async throws {
        try await TestDatabase.withPool(maxConnections: 1, acquireTimeout: .seconds(1)) { pool in
            try await withTaskExecutorPreference(pool.executor) { _ = try await pool.query("SELECT 1 AS v") }
            #expect(pool.statistics.idle == 1)
            #expect(pool.statistics.inUse == 0)
            #expect(try await pool.query("SELECT 2 AS v")[0].decode("v", as: Int.self) == 2)
        }
    }
}

/// Waits (up to five seconds) until `condition` holds, instead of guessing a sleep.
func eventually(_ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition still false after 20 s", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
