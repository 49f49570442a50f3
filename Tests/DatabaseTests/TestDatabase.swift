import Foundation
import MusterCore
import MusterDatabase
import Testing

/// A throwaway database per test on the cluster `make test` starts
/// (`MUSTER_TEST_DATABASE_URL`, a superuser URL), dropped afterwards, so
/// tests can run in parallel with each other and with other suites.
enum TestDatabase {
    static let superuserURL = ProcessInfo.processInfo.environment["MUSTER_TEST_DATABASE_URL"]
    static var isConfigured: Bool { superuserURL != nil }
    static let logger = Logger(service: "database-tests", minimumLevel: .warning)

    static var admin: DatabaseAdmin { DatabaseAdmin(superuserURL: superuserURL!, logger: logger) }

    /// Creates a database named after a fresh UUID, runs `body` with its URL, drops it.
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        let name = "muster_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin.createDatabase(name)
        do {
            try await body(try admin.url(database: name))
            try await admin.dropDatabase(name)
        } catch {
            try? await admin.dropDatabase(name)
            throw error
        }
    }

    /// A pool on a fresh database, shut down and dropped after `body`.
    static func withPool(maxConnections: Int = 4, acquireTimeout: Duration = .seconds(5),
                         _ body: (DatabasePool) async throws -> Void) async throws {
        try await withDatabase { url in
            let pool = try DatabasePool(configuration: .init(url: url, maxConnections: maxConnections,
                                                             acquireTimeout: acquireTimeout), logger: logger)
            do {
                try await body(pool)
                await pool.shutdown()
            } catch {
                await pool.shutdown()
                throw error
            }
        }
    }
}

/// Suites that need PostgreSQL run only where `MUSTER_TEST_DATABASE_URL` is set.
let requiresDatabase = ConditionTrait.enabled(if: TestDatabase.isConfigured, "needs MUSTER_TEST_DATABASE_URL")
