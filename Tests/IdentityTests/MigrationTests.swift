import Foundation
import IdentityService
import MusterCore
import MusterDatabase
import MusterTestSupport
import Testing

extension IdentityIntegrationTests {
    /// Identity's `agency/current.sql` equals its replayed history, and an old
    /// password hash is upgraded on the next successful login.
    @Suite(.serialized) struct MigrationTests {
        @Test func currentAgencyDDLEqualsTheReplayedMigrations() async throws {
            let platform = try await Platform.start([])
            defer { platform.stop() }
            let pool = try DatabasePool(configuration: .init(url: platform.environment["MUSTER_IDENTITY_DATABASE_URL"]!, maxConnections: 2),
                                        logger: Logger(service: "identity-test"))
            let folder = try #require(IdentityApp().migrationsFolder)
            let migrator = Migrator(pool: pool, migrations: try MigrationSet(folder: folder), logger: Logger(service: "identity-test"))
            _ = try await migrator.migrate()
            #expect(try await migrator.currentDDLDifferences() == [])
            await pool.shutdown()
        }

        @Test func weakerHashesAreUpgradedOnLogin() async throws {
            let platform = try await Platform.start([.identity])
            defer { platform.stop() }
            let agency = try await platform.createAgency()
            let api = IdentityAPI(platform: platform)
            // An ln=14 hash made by Python's hashlib (an independent scrypt), in our stored format.
            let old = try Oracle.python("""
                import base64, hashlib, os, sys, unicodedata
                salt = os.urandom(16)
                key = hashlib.scrypt(unicodedata.normalize("NFKC", sys.argv[1]).encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
                b = lambda x: base64.b64encode(x).decode().rstrip("=")
                print(f"$scrypt$ln=14,r=8,p=1${b(salt)}${b(key)}")
                """, Platform.fixturePassword)
            let schema = IdentityAPI.schema(agency.id)
            _ = try api.sql("UPDATE \(schema).users SET password_hash = '\(old)' WHERE email = '\(agency.admin.email)'")
            #expect(try api.login(agency.slug, agency.admin.email, Platform.fixturePassword).status == 200)
            let stored = try api.sql("SELECT password_hash FROM \(schema).users WHERE email = '\(agency.admin.email)'")
            #expect(stored.hasPrefix("$scrypt$ln=17,r=8,p=1$"), "rehashed with today's parameters: \(stored.prefix(24))")
            #expect(try api.login(agency.slug, agency.admin.email, Platform.fixturePassword).status == 200)
        }
    }
}
