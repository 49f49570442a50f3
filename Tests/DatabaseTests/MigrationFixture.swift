import Foundation

/// A service-style `Migrations` folder written to a temporary directory.
struct MigrationFixture {
    let folder: URL

    /// `files` maps paths such as `agency/0001_initial.sql` to their SQL.
    init(_ files: [String: String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        for (path, sql) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(sql.utf8).write(to: url)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A small service: one platform table and two agency versions, `current.sql` matching.
    static let agencyV1 = """
        CREATE TABLE officers (
            id uuid PRIMARY KEY,
            name text NOT NULL,
            badge text UNIQUE,
            hired_on date DEFAULT CURRENT_DATE
        );
        CREATE INDEX officers_name ON officers (name);
        CREATE TABLE applied_log (migration text NOT NULL);
        INSERT INTO applied_log VALUES ('0001');
        """
    static let agencyV2 = """
        CREATE TYPE officer_status AS ENUM ('active', 'retired');
        ALTER TABLE officers ADD COLUMN status officer_status NOT NULL DEFAULT 'active';
        CREATE TABLE units (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, officer_id uuid REFERENCES officers (id));
        INSERT INTO applied_log VALUES ('0002');
        """
    static let currentV2 = """
        CREATE TYPE officer_status AS ENUM ('active', 'retired');
        CREATE TABLE officers (
            id uuid PRIMARY KEY,
            name text NOT NULL,
            badge text UNIQUE,
            hired_on date DEFAULT CURRENT_DATE,
            status officer_status NOT NULL DEFAULT 'active'
        );
        CREATE INDEX officers_name ON officers (name);
        CREATE TABLE units (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, officer_id uuid REFERENCES officers (id));
        CREATE TABLE applied_log (migration text NOT NULL);
        """
    static let platformV1 = "CREATE TABLE agencies (id uuid PRIMARY KEY, slug text NOT NULL UNIQUE);"

    static func version1() throws -> MigrationFixture {
        try MigrationFixture(["platform/0001_agencies.sql": platformV1, "agency/0001_officers.sql": agencyV1,
                              "agency/current.sql": agencyV1])
    }

    static func version2() throws -> MigrationFixture {
        try MigrationFixture(["platform/0001_agencies.sql": platformV1, "agency/0001_officers.sql": agencyV1,
                              "agency/0002_status_and_units.sql": agencyV2, "agency/current.sql": currentV2])
    }
}
