import MusterCore
import MusterTime

/// The migrator's own tables in `platform`, created on first use:
/// `agency_schemas` (each agency schema and its version), `schema_migrations`
/// (each version applied to each schema, with its checksum) and
/// `migration_checksums` (each file's checksum as first applied, so that a
/// start checks every file in the same single query).
enum Bookkeeping {
    /// Advisory-lock namespace of the migrator (`pg_advisory_xact_lock(namespace, hashtext(schema))`).
    static let lockNamespace: Int32 = 0x4D55_5354

    struct Status {
        let platformVersion: Int
        let pendingAgencies: Int
        /// `scope:version:checksum` of every recorded file.
        let checksums: [String]
    }

    /// Everything a start needs to know, in one statement; creates the tables
    /// first if they are missing (first start, or a fresh database).
    static func status(_ pool: DatabasePool, agencyVersion: Int) async throws -> Status {
        let query: SQL = """
            SELECT (SELECT coalesce(max(version), 0) FROM platform.schema_migrations WHERE schema_name = 'platform') AS platform_version,
                   (SELECT count(*) FROM platform.agency_schemas WHERE version < \(agencyVersion)) AS pending_agencies,
                   (SELECT coalesce(array_agg(scope || ':' || version || ':' || checksum), '{}') FROM platform.migration_checksums) AS checksums
            """
        let row = try await bootstrappingIfMissing(pool) { try await pool.query(query)[0] }
        return Status(platformVersion: try row.decode("platform_version"), pendingAgencies: try row.decode("pending_agencies"),
                      checksums: try row.decode("checksums"))
    }

    /// Runs `body`; if it fails because the tables do not exist yet, creates them and runs it again.
    static func bootstrappingIfMissing<Value>(_ pool: DatabasePool, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as DatabaseError where error.namesMissingRelation {
            try await create(pool)
            return try await body()
        }
    }

    /// Replicas starting together serialize here on an advisory lock.
    private static func create(_ pool: DatabasePool) async throws {
        try await pool.transaction(touching: nil, scoped: false) { tx in
            _ = try await tx.query("SELECT pg_advisory_xact_lock(\(lockNamespace), 0)")
            try await tx.runScript("""
                CREATE SCHEMA IF NOT EXISTS platform;
                CREATE TABLE IF NOT EXISTS platform.agency_schemas (
                    agency_id uuid PRIMARY KEY,
                    schema_name text NOT NULL UNIQUE,
                    version integer NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX IF NOT EXISTS agency_schemas_version ON platform.agency_schemas (version);
                CREATE TABLE IF NOT EXISTS platform.schema_migrations (
                    schema_name text NOT NULL,
                    version integer NOT NULL,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (schema_name, version)
                );
                CREATE TABLE IF NOT EXISTS platform.migration_checksums (
                    scope text NOT NULL,
                    version integer NOT NULL,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (scope, version)
                );
                """)
        }
    }

    /// The first statements of every schema's transaction: its advisory lock
    /// (replicas migrating together take turns per schema, however long a
    /// turn takes), then the lock timeout for the DDL itself, so that a
    /// migration never queues behind application traffic for long.
    static func lock(_ schema: SchemaName, timeout: Duration) -> [SQL] {
        let milliseconds = timeout.milliseconds
        return [
            "SELECT pg_advisory_xact_lock(\(lockNamespace), hashtext(\(schema.rawValue)))",
            SQL(trusted: "SET LOCAL lock_timeout = \(max(1, milliseconds))"),
        ]
    }

    /// The schema's version, read under its lock.
    static func version(of schema: SchemaName) -> SQL {
        if let agency = schema.agencyID {
            return "SELECT version FROM platform.agency_schemas WHERE agency_id = \(agency)"
        }
        return "SELECT coalesce(max(version), 0)::int AS version FROM platform.schema_migrations WHERE schema_name = \(schema.rawValue)"
    }

    /// Records `applied` (in order) as run on `schema`, and the schema's new version.
    static func record(_ applied: [Migration], on schema: SchemaName) -> [SQL] {
        guard let last = applied.last else { return [] }
        var statements: [SQL] = [
            """
            INSERT INTO platform.schema_migrations (schema_name, version, name, checksum)
            SELECT \(schema.rawValue), unnest(\(applied.map(\.version))), unnest(\(applied.map(\.fileName))), unnest(\(applied.map(\.checksum)))
            """,
            recordChecksums(applied),
        ]
        if let agency = schema.agencyID {
            statements.append("UPDATE platform.agency_schemas SET version = \(last.version), updated_at = now() WHERE agency_id = \(agency)")
        }
        return statements
    }

    /// Keeps the first recorded checksum of each file.
    static func recordChecksums(_ migrations: [Migration]) -> SQL {
        """
        INSERT INTO platform.migration_checksums (scope, version, name, checksum)
        SELECT \(migrations.first?.scope.rawValue ?? ""), unnest(\(migrations.map(\.version))), unnest(\(migrations.map(\.fileName))),
               unnest(\(migrations.map(\.checksum)))
        ON CONFLICT (scope, version) DO NOTHING
        """
    }

    /// The statements that register a schema created from `current.sql`.
    static func register(_ agency: AgencyID, from current: Migration, history: [Migration]) -> [SQL] {
        let schema = SchemaName.agency(agency)
        return [
            "INSERT INTO platform.agency_schemas (agency_id, schema_name, version) VALUES (\(agency), \(schema.rawValue), \(current.version))",
            """
            INSERT INTO platform.schema_migrations (schema_name, version, name, checksum)
            VALUES (\(schema.rawValue), \(current.version), \(current.fileName), \(current.checksum))
            """,
            recordChecksums(history),
        ]
    }

    /// A script that runs `sql` with `search_path` set to `schema`.
    static func script(_ sql: [String], in schema: SchemaName, creating: Bool = false) -> String {
        // A newline before each separator ends any trailing `--` comment of the previous file.
        (creating ? "CREATE SCHEMA \(schema.quoted);\n" : "") + "SET LOCAL search_path TO \(schema.quoted);\n"
            + sql.joined(separator: "\n;\n")
    }
}
