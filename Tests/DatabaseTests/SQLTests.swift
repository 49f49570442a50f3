import Foundation
import MusterCore
import MusterDatabase
import Testing

@Suite struct SQLTests {
    @Test func interpolatedValuesBecomePlaceholders() {
        let name = "'; DROP TABLE users; --"
        let sql: SQL = "SELECT id FROM users WHERE name = \(name) AND age > \(30)"
        #expect(sql.text == "SELECT id FROM users WHERE name = $1 AND age > $2")
        #expect(!sql.description.contains("DROP"))
    }

    @Test func fragmentsKeepTheirValuesBoundAndRenumbered() {
        let unit = UUID()
        var filter: SQL = "status = \("active")"
        filter = filter + " AND unit_id = \(unit)"
        let sql: SQL = "SELECT id FROM officers WHERE rank > \(3) AND \(filter) LIMIT \(10)"
        #expect(sql.text == "SELECT id FROM officers WHERE rank > $1 AND status = $2 AND unit_id = $3 LIMIT $4")
    }

    @Test func placeholdersPastNineHaveEveryDigit() {
        var sql: SQL = "VALUES (\(0)"
        for value in 1..<120 { sql = sql + ", \(value)" }
        sql = sql + ")"
        let expected = "VALUES (" + (1...120).map { "$\($0)" }.joined(separator: ", ") + ")"
        #expect(sql.text == expected)
    }

    @Test func schemaNamesAreQuotedIdentifiers() {
        let agency = AgencyID(UUID(uuidString: "9F0C2B1E-3A4D-4E5F-8A6B-7C8D9E0F1A2B")!)
        let sql: SQL = "SET LOCAL search_path TO \(SchemaName.agency(agency))"
        #expect(sql.text == "SET LOCAL search_path TO \"agency_9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2b\"")
        #expect((SQL("SELECT 1 FROM \(SchemaName.platform).things")).text == "SELECT 1 FROM \"platform\".things")
    }
}

@Suite struct SchemaNameTests {
    @Test func agencySchemasComeFromTheImmutableID() throws {
        let agency = try #require(AgencyID(string: "9f0c2b1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b"))
        let schema = SchemaName.agency(agency)
        #expect(schema.rawValue == "agency_9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2b")
        #expect(schema.agencyID == agency)
        #expect(SchemaName(schema.rawValue) == schema)
        #expect(SchemaName.platform.agencyID == nil)
        #expect(SchemaName("platform") == .platform)
    }

    @Test(arguments: ["public", "agency_", "agency_9F0C2B1E3A4D4E5F8A6B7C8D9E0F1A2B", "agency_9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2",
                      "agency_9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2bb", "agency_9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2\"", "agency_acme-police",
                      "Platform", "platform; DROP SCHEMA x"])
    func rejectsAnythingElse(text: String) {
        #expect(SchemaName(text) == nil)
    }
}
