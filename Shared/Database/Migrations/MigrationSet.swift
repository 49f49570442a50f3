import Foundation

/// A service's migrations, loaded from its `Migrations` resource folder:
///
/// ```
/// Migrations/platform/0001_<name>.sql, 0002_…   the service's platform schema
/// Migrations/agency/0001_<name>.sql, 0002_…     every agency schema
/// Migrations/agency/current.sql                 the whole current agency DDL, for new schemas
/// ```
///
/// A file may take in a migration `Shared` owns (the agency settings table, the
/// outbox) with a line `\include agency_settings.sql` (``MigrationIncludes``).
///
/// ```swift
/// let migrations = try MigrationSet(folder: Bundle.module.url(forResource: "Migrations", withExtension: nil)!)
/// let report = try await Migrator(pool: pool, migrations: migrations, logger: logger).migrate()
/// ```
///
/// ## Writing a migration
/// - Add the next number; never edit or renumber a file once it has run
///   anywhere: its SHA-256 is recorded and a changed file stops every start.
/// - Keep migrations backward compatible. During a rollout old and new code
///   run side by side against the same schemas, and agency schemas migrate
///   one by one, so at any moment some agencies are a version behind:
///   *expand* first (add tables, nullable columns or columns with defaults,
///   new indexes), ship code that handles both shapes, and *contract* (drop or
///   rename) only in a later release, once no running code uses the old shape.
/// - Never write `SELECT *` or `RETURNING *` in application SQL: statements are
///   prepared per connection, and a column added under a prepared `*` fails it.
/// - Each schema migrates in one transaction with a `lock_timeout`: no
///   `COMMIT`, no `CREATE INDEX CONCURRENTLY`, no `VACUUM` in a migration.
/// - Write unqualified names: `search_path` is the schema being migrated.
/// - Update `agency/current.sql` in the same change so that it equals the
///   replayed history (``Migrator/currentDDLDifferences()`` checks this; every
///   service has a test for it).
public struct MigrationSet: Sendable {
    public let platform: [Migration]
    public let agency: [Migration]
    /// `agency/current.sql`, standing for the latest agency version; `nil` when
    /// the service has no agency migrations.
    public let currentAgencyDDL: Migration?

    /// The version the platform schema reaches when every platform migration has run.
    public var platformVersion: Int { platform.last?.version ?? 0 }
    /// The version every agency schema reaches.
    public var agencyVersion: Int { agency.last?.version ?? 0 }

    public init(folder: URL) throws {
        let entries = try Self.list(folder)
        if let unexpected = entries.first(where: { !Migration.Scope.allCases.map(\.rawValue).contains($0) && !Self.isIgnored($0) }) {
            throw MigrationError.invalidFile(path: unexpected, reason: "expected only the folders platform/ and agency/")
        }
        platform = try Self.load(.platform, from: folder)
        agency = try Self.load(.agency, from: folder)
        let currentURL = folder.appendingPathComponent("agency/current.sql")
        let hasCurrent = FileManager.default.fileExists(atPath: currentURL.path)
        switch (agency.last, hasCurrent) {
        case (nil, false):
            currentAgencyDDL = nil
        case (let latest?, true):
            currentAgencyDDL = try Self.migration(.agency, version: latest.version, fileName: "current.sql", url: currentURL)
        case (nil, true):
            throw MigrationError.currentDDL(reason: "present, but there are no numbered agency migrations")
        case (_?, false):
            throw MigrationError.currentDDL(reason: "missing: new agency schemas are created from it")
        }
    }

    /// The migrations of `scope` after `version`, in order.
    func pending(_ scope: Migration.Scope, after version: Int) -> [Migration] {
        (scope == .platform ? platform : agency).filter { $0.version > version }
    }

    func migrations(_ scope: Migration.Scope) -> [Migration] {
        scope == .platform ? platform : agency
    }

    private static func load(_ scope: Migration.Scope, from folder: URL) throws -> [Migration] {
        let directory = folder.appendingPathComponent(scope.rawValue)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        var migrations: [Migration] = []
        for name in try list(directory) where !isIgnored(name) && !(scope == .agency && name == "current.sql") {
            guard let version = version(of: name) else {
                throw MigrationError.invalidFile(path: "\(scope.rawValue)/\(name)",
                                                 reason: "expected NNNN_lower_snake_name.sql")
            }
            migrations.append(try migration(scope, version: version, fileName: name, url: directory.appendingPathComponent(name)))
        }
        migrations.sort { $0.version < $1.version }
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw MigrationError.versionSequence(scope: scope, reason:
                "expected version \(index + 1) but found \(migration.fileName) (versions run 1, 2, 3… once each)")
        }
        return migrations
    }

    private static func migration(_ scope: Migration.Scope, version: Int, fileName: String, url: URL) throws -> Migration {
        let path = "\(scope.rawValue)/\(fileName)"
        let bytes = try MigrationIncludes.expand(Array(try Data(contentsOf: url)), path: path, scope: scope)
        guard let sql = String(validating: bytes, as: UTF8.self) else {
            throw MigrationError.invalidFile(path: path, reason: "not UTF-8 text")
        }
        return Migration(scope: scope, version: version, fileName: fileName, sql: sql, checksum: Checksum.sha256(bytes))
    }

    /// `0007_add_units.sql` → 7.
    private static func version(of name: String) -> Int? {
        guard name.hasSuffix(".sql") else { return nil }
        let stem = name.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let words = stem[stem.index(after: underscore)...]
        guard digits.count >= 4, digits.allSatisfy(\.isASCIIDigitCharacter), !words.isEmpty,
              words.allSatisfy({ $0.isASCIIDigitCharacter || ("a"..."z").contains($0) || $0 == "_" }) else { return nil }
        return Int(digits)
    }

    private static func list(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// Hidden files and notes next to the SQL are not migrations.
    private static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".md")
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
