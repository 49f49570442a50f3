import AuditService
import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTPClient
import MusterOutbox
import MusterService
import MusterTestSupport

/// A service's side of the outbox, for relay tests: its own database with a
/// `platform.outbox` (built by real migrations), a table of "business" rows
/// written in the same transactions as the events, and relays that deliver to
/// the platform's real Audit with Records' credential.
struct OutboxSender: Sendable {
    let pool: DatabasePool
    let database: String
    let peers: PeerClient
    let client: HTTPClient
    static let logger = Logger(service: "sender-test")

    static func create(for platform: Platform) async throws -> OutboxSender {
        let database = "sender" + platform.suffix
        let admin = DatabaseAdmin(superuserURL: TestEnvironment.databaseURL, logger: logger)
        try await admin.createDatabase(database)
        let pool = try DatabasePool(configuration: .init(url: try admin.url(database: database), maxConnections: 8), logger: logger)
        _ = try await Migrator(pool: pool, migrations: try MigrationSet(folder: AuditApp().migrationsFolder!), logger: logger).migrate()
        try await pool.execute("CREATE TABLE platform.changes (id uuid PRIMARY KEY, agency_id uuid, note text NOT NULL)")
        let key = try Ed25519.PrivateKey(rawRepresentation: try Base64.decode(platform.environment[ServiceCredentials.privateKeyVariable(for: .records)]!))
        let client = HTTPClient(configuration: .init(connectTimeout: .milliseconds(300), timeout: .seconds(5)))
        let peers = PeerClient(directory: try PeerDirectory(environment: Environment(platform.environment)), client: client,
                               signer: ServiceCredentialSigner(service: .records, privateKey: key))
        return OutboxSender(pool: pool, database: database, peers: peers, client: client)
    }

    /// One business write and its audit event, in one transaction (what a service does).
    func write(_ event: AuditEvent) async throws {
        try await pool.transaction { tx in
            try await tx.execute("INSERT INTO platform.changes (id, agency_id, note) VALUES (\(UUID()), \(event.agencyID), \(event.action))")
            try await Outbox.enqueue(event, in: tx)
        }
    }

    /// A relay with short waits, so tests see retries within seconds.
    func relay() -> OutboxRelay {
        var settings = OutboxRelay.Settings()
        settings.idleDelay = .milliseconds(50)
        settings.destinationBackoff = Backoff(base: .milliseconds(50), cap: .milliseconds(400))
        settings.rowBackoff = Backoff(base: .milliseconds(400), cap: .seconds(1), jitter: .equal)
        return OutboxRelay(topic: .auditEvents, pool: pool, logger: Self.logger, settings: settings, deliver: peers.outboxDelivery())
    }

    func pending() async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM platform.outbox")[0].decode("n")
    }

    /// Waits until the outbox holds only `remaining` rows.
    func drain(leaving remaining: Int = 0, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await pending() > remaining {
            guard ContinuousClock.now < deadline else { throw FixtureError(description: "outbox not drained: \(try await pending()) left") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func close() async {
        await pool.shutdown()
        await client.shutdown()
        _ = try? await DatabaseAdmin(superuserURL: TestEnvironment.databaseURL, logger: Self.logger).dropDatabase(database)
    }
}
