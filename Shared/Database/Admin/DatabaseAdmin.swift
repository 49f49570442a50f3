import CLibPQ
import Foundation
import MusterCore

/// Creates service databases and their login roles with a superuser
/// connection, idempotently: used by `make run`, deployment jobs and tests.
///
/// Each service gets a role that can log in and owns its own database, and
/// nothing more: no superuser, no `CREATEDB`, no `CREATEROLE`; `PUBLIC`
/// loses `CONNECT` on the database, so no other service's role can connect.
/// Passwords are hashed to a SCRAM verifier on this side: the clear text
/// never reaches the server or its logs.
///
/// ```swift
/// let admin = DatabaseAdmin(superuserURL: "postgresql://postgres@127.0.0.1:5432/postgres", logger: logger)
/// let url = try await admin.provisionServiceDatabase(database: "muster_records", role: "muster_records",
///                                                     password: secret)
/// ```
public struct DatabaseAdmin: Sendable {
    public let superuserURL: String
    private let logger: Logger

    public init(superuserURL: String, logger: Logger) {
        self.superuserURL = superuserURL
        self.logger = logger
    }

    /// Ensures the role (login, least privilege, this password) and the
    /// database it owns exist; returns the URL the service connects with.
    @discardableResult
    public func provisionServiceDatabase(database: String, role: String, password: String) async throws -> String {
        let roleName = try Self.identifier(role)
        let databaseName = try Self.identifier(database)
        try await withSuperuser { pool in
            let verifier = try await pool.withConnection { try await $0.scramVerifier(password: password, role: role) }
            guard !verifier.contains(where: { $0 == "'" || $0 == "\\" }) else {
                throw PoolError.invalidConfiguration(reason: "unexpected password verifier format")
            }
            try await Self.ignoring("42710") { try await pool.execute(SQL(trusted: "CREATE ROLE \(roleName)")) }
            try await pool.execute(SQL(trusted: "ALTER ROLE \(roleName) WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                + "NOREPLICATION NOBYPASSRLS PASSWORD '\(verifier)'"))
            try await createDatabase(databaseName, in: pool)
            try await pool.execute(SQL(trusted: "ALTER DATABASE \(databaseName) OWNER TO \(roleName)"))
            try await pool.execute(SQL(trusted: "REVOKE ALL ON DATABASE \(databaseName) FROM PUBLIC"))
        }
        logger.info("service database ready", ["database": database, "role": role])
        return try url(database: database, user: role, password: password)
    }

    /// Creates a database owned by the superuser, if missing (tests, scratch work).
    public func createDatabase(_ name: String) async throws {
        let databaseName = try Self.identifier(name)
        try await withSuperuser { try await createDatabase(databaseName, in: $0) }
    }

    /// Drops a database if it exists, disconnecting its sessions.
    public func dropDatabase(_ name: String) async throws {
        let databaseName = try Self.identifier(name)
        try await withSuperuser { try await $0.execute(SQL(trusted: "DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")) }
    }

    /// The superuser URL pointed at another database, or with other credentials.
    public func url(database: String, user: String? = nil, password: String? = nil) throws -> String {
        guard var components = URLComponents(string: superuserURL), components.scheme?.hasPrefix("postgres") == true else {
            throw PoolError.invalidConfiguration(reason: "the superuser URL must be a postgresql:// URI")
        }
        if let user { components.user = user }
        if let password { components.password = password }
        components.path = "/" + database
        guard let url = components.string else {
            throw PoolError.invalidConfiguration(reason: "cannot build a URL for database \(database)")
        }
        return url
    }

    private func createDatabase(_ quotedName: String, in pool: DatabasePool) async throws {
        // CREATE DATABASE cannot run in a transaction: this is one autocommit statement.
        try await Self.ignoring("42P04") { try await pool.execute(SQL(trusted: "CREATE DATABASE \(quotedName)")) }
    }

    private func withSuperuser(_ body: (DatabasePool) async throws -> Void) async throws {
        let pool = try DatabasePool(configuration: .init(url: superuserURL, maxConnections: 1, usesPreparedStatements: false),
                                    logger: logger)
        do {
            try await body(pool)
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    /// Runs an idempotent step whose "already exists" error (by SQLSTATE) means done.
    private static func ignoring(_ sqlState: String, _ step: () async throws -> Int) async throws {
        do {
            _ = try await step()
        } catch let error as DatabaseError where error.sqlState == sqlState {
            return
        }
    }

    /// A role or database name, quoted; only plain lower-case names are accepted.
    private static func identifier(_ name: String) throws -> String {
        let valid = !name.isEmpty && name.utf8.count <= 63
            && name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
            && !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(name.utf8.first!)
        guard valid else {
            throw PoolError.invalidConfiguration(reason: "\(name.debugDescription) is not a valid name (lower-case letters, digits, _)")
        }
        return "\"\(name)\""
    }
}

extension Connection {
    /// The SCRAM-SHA-256 verifier of `password`, computed by libpq on this side.
    func scramVerifier(password: String, role: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            submit(.call { handle in
                guard let handle else {
                    continuation.resume(throwing: PoolError.connectionLost(reason: "the connection is closed"))
                    return
                }
                guard let verifier = PQencryptPasswordConn(handle.pointer, password, role, "scram-sha-256") else {
                    continuation.resume(throwing: PoolError.invalidConfiguration(reason: handle.errorMessage))
                    return
                }
                continuation.resume(returning: String(cString: verifier))
                PQfreemem(verifier)
            })
        }
    }
}
