import MusterCore

/// Applies a service's migrations to its `platform` schema and to every
/// agency schema it knows, and creates new agency schemas.
///
/// A start with nothing pending costs one query. Pending schemas migrate in
/// one transaction each (with `SET LOCAL lock_timeout`), `workers` at a time,
/// each under its own advisory lock, so several replicas can start together
/// and each migration still runs once per schema. A schema that fails is
/// reported and stays at its version; the others go on.
///
/// ```swift
/// let migrator = Migrator(pool: pool, migrations: try MigrationSet(folder: folder), logger: logger, workers: 4)
/// let report = try await migrator.migrate()          // throws on a changed file or a failed platform migration
/// try await migrator.provisionAgency(agencyID)       // idempotent
/// ```
public struct Migrator: Sendable {
    public let pool: DatabasePool
    public let migrations: MigrationSet
    public let workers: Int
    /// How long a schema's migration waits for a lock before it fails (and is reported).
    public let lockTimeout: Duration
    let logger: Logger

    public init(pool: DatabasePool, migrations: MigrationSet, logger: Logger, workers: Int = 4,
                lockTimeout: Duration = .seconds(5)) {
        self.pool = pool
        self.migrations = migrations
        self.logger = logger
        self.workers = max(1, workers)
        self.lockTimeout = lockTimeout
    }

    /// Brings the platform schema, then every agency schema, to the latest version.
    public func migrate() async throws -> MigrationReport {
        let start = ContinuousClock.now
        let sentBefore = pool.statistics.statementsSent
        let status = try await Bookkeeping.status(pool, agencyVersion: migrations.agencyVersion)
        try verify(status.checksums)
        var report = MigrationReport()
        if status.platformVersion < migrations.platformVersion {
            do {
                report.platformVersionsApplied = try await migrate(.platform).map(\.version)
            } catch {
                throw MigrationError.platformFailed(version: status.platformVersion + 1, reason: "\(error)")
            }
        }
        if status.pendingAgencies > 0 {
            let pending = try await pool.query(
                "SELECT agency_id FROM platform.agency_schemas WHERE version < \(migrations.agencyVersion) ORDER BY agency_id")
            report.agencySchemasPending = pending.count
            await migrateAgencies(try pending.map { try $0.decode("agency_id", as: AgencyID.self) }, into: &report)
        }
        report.statementsSent = pool.statistics.statementsSent - sentBefore
        report.duration = ContinuousClock.now - start
        if report.platformVersionsApplied.isEmpty && report.agencySchemasPending == 0 {
            logger.debug("migrations: nothing pending")
        } else {
            logger.info("migrations applied", [
                "platform_versions": report.platformVersionsApplied.map(String.init).joined(separator: ","),
                "agency_schemas_migrated": "\(report.agencySchemasMigrated)",
                "agency_schemas_failed": "\(report.failures.count)",
                "duration": "\(report.duration)",
            ])
        }
        return report
    }

    /// Creates the agency's schema from `agency/current.sql` in one
    /// transaction and records its version. Safe to call again: an existing
    /// schema is left as it is (migrated if behind); a failed attempt left nothing behind.
    public func provisionAgency(_ agency: AgencyID) async throws {
        guard let current = migrations.currentAgencyDDL else {
            throw MigrationError.currentDDL(reason: "missing: the service has no agency schema to provision")
        }
        let schema = SchemaName.agency(agency)
        let registeredVersion: Int?
        do {
            registeredVersion = try await Bookkeeping.bootstrappingIfMissing(pool) {
                try await pool.transaction(touching: agency, scoped: false) { tx in
                    let rows = try await tx.pipeline(Bookkeeping.lock(schema, timeout: lockTimeout) + [
                        Bookkeeping.version(of: schema),
                        "SELECT count(*) AS n FROM pg_namespace WHERE nspname = \(schema.rawValue)",
                    ])
                    if let registered = rows[2].first { return try registered.decode("version", as: Int.self) }
                    guard try rows[3][0].decode("n", as: Int.self) == 0 else { throw MigrationError.unregisteredSchema(schema) }
                    try await tx.runScript(Bookkeeping.script([current.sql], in: schema, creating: true))
                    _ = try await tx.pipeline(Bookkeeping.register(agency, from: current, history: migrations.agency))
                    return nil
                }
            }
        } catch let error as MigrationError {
            throw error
        } catch {
            throw MigrationError.schemaFailed(schema, reason: "\(error)")
        }
        if let registeredVersion, registeredVersion < migrations.agencyVersion {
            do {
                _ = try await migrate(schema)
            } catch {
                throw MigrationError.schemaFailed(schema, reason: "\(error)")
            }
        }
        logger.info("agency schema provisioned", ["schema": schema.rawValue])
    }

    /// Fails on the first applied file whose checksum changed since.
    private func verify(_ recorded: [String]) throws {
        for entry in recorded {
            let parts = entry.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count == 3, let scope = Migration.Scope(rawValue: parts[0]), let version = Int(parts[1]),
                  let migration = migrations.migrations(scope).first(where: { $0.version == version }) else { continue }
            if migration.checksum != parts[2] {
                throw MigrationError.checksumMismatch(path: migration.path, recorded: parts[2], actual: migration.checksum)
            }
        }
    }

    /// `workers` schemas at a time; each failure is reported, not thrown.
    private func migrateAgencies(_ agencies: [AgencyID], into report: inout MigrationReport) async {
        await withTaskGroup(of: SchemaOutcome.self) { group in
            for (index, agency) in agencies.enumerated() {
                if index >= workers, let outcome = await group.next() { report.record(outcome) }
                group.addTask { await migrateReporting(.agency(agency)) }
            }
            for await outcome in group { report.record(outcome) }
        }
        for failure in report.failures {
            logger.error("agency schema migration failed", ["schema": failure.schema.rawValue, "error": failure.reason])
        }
    }

    private func migrateReporting(_ schema: SchemaName) async -> SchemaOutcome {
        do {
            return try await migrate(schema).isEmpty ? .current : .migrated
        } catch {
            return .failed(SchemaFailure(schema: schema, reason: "\(error)"))
        }
    }

    /// Applies what `schema` lacks, in one transaction under the schema's
    /// advisory lock; returns what was applied (nothing if another replica was first).
    private func migrate(_ schema: SchemaName) async throws -> [Migration] {
        let scope: Migration.Scope = schema == .platform ? .platform : .agency
        return try await pool.transaction(touching: schema.agencyID, scoped: false) { tx in
            let rows = try await tx.pipeline(Bookkeeping.lock(schema, timeout: lockTimeout) + [Bookkeeping.version(of: schema)])
            guard let version = try rows[2].first?.decode("version", as: Int.self) else { return [] }
            let pending = migrations.pending(scope, after: version)
            guard !pending.isEmpty else { return [] }
            try await tx.runScript(Bookkeeping.script(pending.map(\.sql), in: schema))
            _ = try await tx.pipeline(Bookkeeping.record(pending, on: schema))
            return pending
        }
    }
}
