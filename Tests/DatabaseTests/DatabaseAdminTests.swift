import Foundation
import MusterCore
import MusterDatabase
import Testing

@Suite(requiresDatabase) struct DatabaseAdminTests {
    @Test func provisionsALeastPrivilegeRoleOwningItsDatabaseIdempotently() async throws {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let database = "muster_admin_\(suffix)", role = "muster_role_\(suffix)", other = "muster_other_\(suffix)"
        let password = "correct horse battery \(suffix)"
        let admin = TestDatabase.admin
        let superuser = try DatabasePool(configuration: .init(url: TestDatabase.superuserURL!, maxConnections: 1),
                                         logger: TestDatabase.logger)
        do {
            let url = try await admin.provisionServiceDatabase(database: database, role: role, password: password)
            #expect(try await admin.provisionServiceDatabase(database: database, role: role, password: password) == url)
            #expect(url.hasPrefix("postgresql://\(role):") && url.hasSuffix("/\(database)"))

            let attributes = try await superuser.query("""
                SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin, rolpassword FROM pg_authid WHERE rolname = \(role)
                """)[0]
            #expect(try attributes.decode("rolsuper", as: Bool.self) == false)
            #expect(try attributes.decode("rolcreatedb", as: Bool.self) == false)
            #expect(try attributes.decode("rolcreaterole", as: Bool.self) == false)
            #expect(try attributes.decode("rolcanlogin", as: Bool.self) == true)
            let verifier = try attributes.decode("rolpassword", as: String.self)
            #expect(verifier.hasPrefix("SCRAM-SHA-256$4096:") && !verifier.contains(password))

            let owner = try await superuser.query("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = \(database)")
            #expect(try owner[0].decode("owner", as: String.self) == role)
            try await superuser.execute(SQL(stringLiteral: "CREATE ROLE \(other) LOGIN"))
            let privileges = try await superuser.query("""
                SELECT has_database_privilege(\(role), \(database), 'CONNECT') AS own,
                       has_database_privilege(\(other), \(database), 'CONNECT') AS other
                """)[0]
            #expect(try privileges.decode("own", as: Bool.self))
            #expect(try privileges.decode("other", as: Bool.self) == false)

            // The service connects with the URL it was given and can build its schema.
            let service = try DatabasePool(configuration: .init(url: url, maxConnections: 1), logger: TestDatabase.logger)
            #expect(try await service.query("SELECT current_user AS me")[0].decode("me", as: String.self) == role)
            try await service.execute("CREATE SCHEMA platform")
            await service.shutdown()
        } catch {
            Issue.record(error)
        }
        try? await admin.dropDatabase(database)
        // Role names are identifiers, which only SchemaName may interpolate; these are generated above.
        _ = try? await superuser.execute(SQL(stringLiteral: "DROP ROLE IF EXISTS \(role)"))
        _ = try? await superuser.execute(SQL(stringLiteral: "DROP ROLE IF EXISTS \(other)"))
        await superuser.shutdown()
    }

    @Test(arguments: ["Muster", "muster-records", "1muster", "muster; DROP DATABASE postgres", ""])
    func rejectsUnsafeNames(name: String) async throws {
        await #expect(throws: PoolError.self) { try await TestDatabase.admin.createDatabase(name) }
    }
}
