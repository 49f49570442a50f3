import Foundation
import MusterAuth
import MusterCore
import MusterDatabase
import Testing

@Suite(requiresDatabase) struct BindingTests {
    struct Settings: Codable, Sendable, Equatable {
        var mfaRequired: Bool
        var roles: [String]
    }

    @Test func injectionAttemptRoundTripsAsData() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE x (name text NOT NULL)")
            let hostile = "'; DROP TABLE x; --"
            try await pool.execute("INSERT INTO x (name) VALUES (\(hostile))")
            let rows = try await pool.query("SELECT name FROM x WHERE name = \(hostile)")
            #expect(try rows.map { try $0.decode("name", as: String.self) } == [hostile])
            #expect(try await pool.query("SELECT count(*) AS n FROM x")[0].decode("n", as: Int.self) == 1)
        }
    }

    /// Each value goes in as a parameter, comes back through PostgreSQL's text output.
    private func roundTrip<Value: SQLBindable & SQLDecodable>(_ value: Value, as type: String, in pool: DatabasePool) async throws -> Value {
        try await pool.query("SELECT \(value)::\(SQL(stringLiteral: type)) AS v")[0].decode("v", as: Value.self)
    }

    private func expectRoundTrip<Value: SQLBindable & SQLDecodable & Equatable>(
        _ value: Value, as type: String, in pool: DatabasePool, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let back = try await roundTrip(value, as: type, in: pool)
        #expect(back == value, sourceLocation: sourceLocation)
    }

    @Test func scalarsRoundTrip() async throws {
        try await TestDatabase.withPool { pool in
            for text in ["", "plain", "quote ' and \" and \\ backslash", "émoji 🚓 ünïcode", "line\nbreak\ttab", "NULL"] {
                try await expectRoundTrip(text, as: "text", in: pool)
            }
            for number in [0, 1, -1, Int.max, Int.min] {
                try await expectRoundTrip(number, as: "int8", in: pool)
            }
            for number: Int32 in [0, Int32.max, Int32.min] {
                try await expectRoundTrip(number, as: "int4", in: pool)
            }
            for number: Int64 in [42, Int64.min] {
                try await expectRoundTrip(number, as: "int8", in: pool)
            }
            for number in [0.0, -0.5, 1e-300, 3.141592653589793, Double.greatestFiniteMagnitude, .infinity, -.infinity] {
                try await expectRoundTrip(number, as: "float8", in: pool)
            }
            let nan = try await roundTrip(Double.nan, as: "float8", in: pool)
            #expect(nan.isNaN)
            try await expectRoundTrip(true, as: "bool", in: pool)
            try await expectRoundTrip(false, as: "bool", in: pool)
            let uuid = UUID()
            try await expectRoundTrip(uuid, as: "uuid", in: pool)
            let agency = AgencyID()
            try await expectRoundTrip(agency, as: "uuid", in: pool)
        }
    }

    @Test func timesRoundTripAtMicrosecondPrecisionInAnyTimeZone() async throws {
        try await TestDatabase.withPool { pool in
            let dates = [Date(timeIntervalSince1970: 1_714_571_100.123456), Date(timeIntervalSince1970: 0),
                         Date(timeIntervalSince1970: -2_208_988_800.5), Date(timeIntervalSince1970: 4_102_444_800)]
            for zone in ["UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"] {
                for date in dates {
                    let back = try await pool.transaction { tx in
                        try await tx.execute("SELECT set_config('TimeZone', \(zone), true)")
                        return try await tx.query("SELECT \(date) AS v")[0].decode("v", as: Date.self)
                    }
                    #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001, "\(zone) \(date)")
                }
            }
            let day = try await pool.query("SELECT DATE '2024-02-29' AS d")[0].decode("d", as: Date.self)
            #expect(day == Date(timeIntervalSince1970: 1_709_164_800))
        }
    }

    @Test func bytesJSONAndArraysRoundTrip() async throws {
        try await TestDatabase.withPool { pool in
            let bytes: [UInt8] = [0, 1, 2, 0x7f, 0x80, 0xff, 0x27, 0x5c]
            try await expectRoundTrip(bytes, as: "bytea", in: pool)
            try await expectRoundTrip(Data(bytes), as: "bytea", in: pool)
            try await expectRoundTrip([UInt8](), as: "bytea", in: pool)
            let settings = Settings(mfaRequired: true, roles: ["officer", "agency_admin"])
            let json = try await roundTrip(try JSONB(settings), as: "jsonb", in: pool)
            #expect(json.value == settings)
            let stored = try await pool.query("SELECT \(try JSONB(settings))::jsonb ->> 'mfa_required' AS v")[0]
            #expect(try stored.decode("v", as: String.self) == "true")
            let strings = ["a", "", "NULL", "with,comma", "{braces}", "quote\"s", "back\\slash", "space d", "é🚓"]
            try await expectRoundTrip(strings, as: "text[]", in: pool)
            try await expectRoundTrip([String](), as: "text[]", in: pool)
            let uuids = [UUID(), UUID()]
            try await expectRoundTrip(uuids, as: "uuid[]", in: pool)
            let agencies = [AgencyID(), AgencyID()]
            try await expectRoundTrip(agencies, as: "uuid[]", in: pool)
            try await expectRoundTrip([1, -2, Int.max], as: "int8[]", in: pool)
        }
    }

    @Test func optionalsBindAndDecodeNull() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE t (name text, born timestamptz, n int8, id uuid)")
            let none: String? = nil
            let some: String? = "x"
            try await pool.execute("INSERT INTO t VALUES (\(none), \(Date?.none), \(Int?.none), \(UUID?.none))")
            try await pool.execute("INSERT INTO t VALUES (\(some), \(Date?.some(Date(timeIntervalSince1970: 1))), \(Int?.some(5)), \(UUID?.none))")
            let rows = try await pool.query("SELECT name, born, n, id FROM t ORDER BY n NULLS FIRST")
            #expect(try rows[0].decode("name", as: String?.self) == nil)
            #expect(try rows[0].decode("born", as: Date?.self) == nil)
            #expect(try rows[1].decode("name", as: String?.self) == "x")
            #expect(try rows[1].decode("n", as: Int?.self) == 5)
            #expect(try rows.filter { try $0.decode("name", as: String?.self) == nil }.count == 1)
            #expect(throws: RowDecodingError.self) { try rows[0].decode("name", as: String.self) }
            // A NULL is found with IS NULL, and the bound value is data even when it looks like SQL.
            let nulls = try await pool.query("SELECT count(*) AS n FROM t WHERE name IS NOT DISTINCT FROM \(none)")
            #expect(try nulls[0].decode("n", as: Int.self) == 1)
        }
    }

    @Test func enumsBindAndDecodeThroughTheirRawValue() async throws {
        try await TestDatabase.withPool { pool in
            try await expectRoundTrip(Role.agencyAdmin, as: "text", in: pool)
            let error = await #expect(throws: RowDecodingError.self) {
                try await pool.query("SELECT 'sheriff' AS role")[0].decode("role", as: Role.self)
            }
            #expect(error?.column == "role")
        }
    }
}

extension Role: SQLBindable, SQLDecodable {}
