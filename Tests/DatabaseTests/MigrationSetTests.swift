import Foundation
import MusterDatabase
import Testing

@Suite struct MigrationSetTests {
    @Test func loadsVersionsAndChecksums() throws {
        let fixture = try MigrationFixture.version2()
        defer { fixture.remove() }
        let set = try MigrationSet(folder: fixture.folder)
        #expect(set.platform.map(\.version) == [1])
        #expect(set.agency.map(\.fileName) == ["0001_officers.sql", "0002_status_and_units.sql"])
        #expect(set.agencyVersion == 2)
        #expect(set.currentAgencyDDL?.version == 2)
        #expect(set.agency[1].path == "agency/0002_status_and_units.sql")
        // An independent oracle for the checksum: the openssl command line.
        let file = fixture.folder.appendingPathComponent("agency/0002_status_and_units.sql")
        #expect(set.agency[1].checksum == (try opensslSHA256(file)))
    }

    @Test(arguments: [
        ("agency/0003-bad.sql", "expected NNNN_lower_snake_name.sql"),
        ("agency/3_short.sql", "expected NNNN_lower_snake_name.sql"),
        ("agency/0003_Capital.sql", "expected NNNN_lower_snake_name.sql"),
        ("agency/0003_notes.txt", "expected NNNN_lower_snake_name.sql"),
        ("agencies/0001_x.sql", "expected only the folders platform/ and agency/"),
    ])
    func rejectsMisnamedFiles(path: String, reason: String) throws {
        let fixture = try MigrationFixture(["agency/0001_a.sql": "SELECT 1;", "agency/current.sql": "SELECT 1;", path: "SELECT 1;"])
        defer { fixture.remove() }
        #expect(throws: MigrationError.self) { try MigrationSet(folder: fixture.folder) }
        do {
            _ = try MigrationSet(folder: fixture.folder)
        } catch let error as MigrationError {
            #expect("\(error)".contains(reason))
        }
    }

    @Test func rejectsGapsAndDuplicates() throws {
        let gap = try MigrationFixture(["platform/0001_a.sql": "", "platform/0003_c.sql": ""])
        defer { gap.remove() }
        #expect(throws: MigrationError.versionSequence(scope: .platform, reason:
            "expected version 2 but found 0003_c.sql (versions run 1, 2, 3… once each)")) { try MigrationSet(folder: gap.folder) }
        let duplicate = try MigrationFixture(["platform/0001_a.sql": "", "platform/0001_b.sql": ""])
        defer { duplicate.remove() }
        #expect(throws: MigrationError.self) { try MigrationSet(folder: duplicate.folder) }
    }

    @Test func requiresCurrentDDLBesideAgencyMigrations() throws {
        let missing = try MigrationFixture(["agency/0001_a.sql": "CREATE TABLE a (id int);"])
        defer { missing.remove() }
        #expect(throws: MigrationError.currentDDL(reason: "missing: new agency schemas are created from it")) {
            try MigrationSet(folder: missing.folder)
        }
    }

    private func opensslSHA256(_ file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["dgst", "-sha256", "-r", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(text.prefix(64))
    }
}
