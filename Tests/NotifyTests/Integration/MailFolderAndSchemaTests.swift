import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterTestSupport
import NotifyService
import Testing

@Suite struct MailFolderAndSchemaTests {
    /// Without an SMTP server (the demo default) each message becomes one `.eml` file.
    @Test func withoutSMTPEachMessageIsOneFileInTheMailFolder() async throws {
        let notify = try await NotifyPlatform.start(smtp: nil)
        defer { notify.stop() }
        let agency = try notify.provisionAgency(name: "Zürich Stadtpolizei", slug: "zuerich")
        let messages = [EmailRequest.passwordChanged(agency, name: "Zoë"), EmailRequest.passwordChanged(nil, to: "ops@muster.example")]
        try notify.deliver(messages)
        let folder = URL(fileURLWithPath: try #require(notify.platform.environment["MUSTER_MAIL_DIR"]))
        let names = try await notify.wait(for: {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        }, until: { $0.count == 2 })
        #expect(names == messages.map { "\($0.id).eml" }.sorted())
        let mail = try MailOracle.parse(names.map { folder.appendingPathComponent($0) })
        #expect(mail.allSatisfy { $0.defects.isEmpty && $0.contentType == "multipart/alternative" && $0.text != nil && $0.html != nil })
        #expect(mail.contains { $0.fromName == "Zürich Stadtpolizei" && $0.toName == "Zoë" })
        #expect(mail.contains { $0.fromName == "Muster" && $0.toAddress == "ops@muster.example" })
    }

    /// `agency/current.sql` builds the same schema as replaying every numbered migration.
    @Test func currentAgencyDDLEqualsTheReplayedHistory() async throws {
        let admin = DatabaseAdmin(superuserURL: TestEnvironment.databaseURL, logger: Logger(service: "notify-tests", minimumLevel: .warning))
        let name = "muster_notify_ddl_" + TestEnvironment.uniqueSuffix()
        try await admin.createDatabase(name)
        let pool = try DatabasePool(configuration: .init(url: try admin.url(database: name), maxConnections: 2),
                                    logger: Logger(service: "notify-tests", minimumLevel: .warning))
        let outcome = await Result(catching: {
            let migrator = Migrator(pool: pool, migrations: try MigrationSet(folder: try #require(NotifyApp().migrationsFolder)),
                                    logger: Logger(service: "notify-tests", minimumLevel: .warning))
            _ = try await migrator.migrate()
            return try await migrator.currentDDLDifferences()
        })
        await pool.shutdown()
        try await admin.dropDatabase(name)
        #expect(try outcome.get() == [])
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
