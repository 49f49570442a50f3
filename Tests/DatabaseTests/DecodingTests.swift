import Foundation
import MusterAuth
import MusterCore
import MusterDatabase
import Testing

@Suite(requiresDatabase) struct DecodingTests {
    struct Officer: Decodable, Equatable {
        let id: UserID
        let fullName: String
        let badgeNumber: Int?
        let role: Role
        let hiredAt: Date
        let tags: [String]
        let photo: [UInt8]?
    }

    @Test func decodableRowsMapSnakeCaseColumnsToProperties() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("""
                CREATE TABLE officers (id uuid PRIMARY KEY, full_name text NOT NULL, badge_number int, role text NOT NULL,
                                       hired_at timestamptz NOT NULL, tags text[] NOT NULL, photo bytea)
                """)
            let first = Officer(id: UserID(), fullName: "Ada Lovelace", badgeNumber: 7, role: .supervisor,
                                hiredAt: Date(timeIntervalSince1970: 1_700_000_000), tags: ["k9", "night"], photo: [1, 2])
            let second = Officer(id: UserID(), fullName: "Grace Hopper", badgeNumber: nil, role: .officer,
                                 hiredAt: Date(timeIntervalSince1970: 1_600_000_000), tags: [], photo: nil)
            for officer in [first, second] {
                try await pool.execute("""
                    INSERT INTO officers VALUES (\(officer.id), \(officer.fullName), \(officer.badgeNumber.map(Int32.init)),
                                                 \(officer.role), \(officer.hiredAt), \(officer.tags), \(officer.photo))
                    """)
            }
            let officers = try await pool.query("""
                SELECT id, full_name, badge_number, role, hired_at, tags, photo FROM officers ORDER BY full_name
                """, decoding: Officer.self)
            #expect(officers == [first, second])
        }
    }

    @Test func decodingErrorsNameTheColumn() async throws {
        try await TestDatabase.withPool { pool in
            let row = try await pool.query("SELECT NULL::text AS nothing, 'x' AS letter, 99999999999 AS big")[0]
            let null = #expect(throws: RowDecodingError.self) { try row.decode("nothing", as: String.self) }
            #expect(null?.column == "nothing")
            let number = #expect(throws: RowDecodingError.self) { try row.decode("letter", as: Int.self) }
            #expect(number?.column == "letter")
            #expect(throws: RowDecodingError.self) { try row.decode("big", as: Int32.self) }
            let missing = #expect(throws: RowDecodingError.self) { try row.decode("absent", as: String.self) }
            #expect(missing?.reason == "no such column in the result")
            #expect(throws: DecodingError.self) { try row.decode(as: Officer.self) }
            #expect(try row.decode(column: 1, as: String.self) == "x")
        }
    }

    @Test func affectedRowsAndColumnNames() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.execute("CREATE TABLE t (n int)")
            #expect(try await pool.execute("INSERT INTO t SELECT generate_series(1, 5)") == 5)
            #expect(try await pool.execute("UPDATE t SET n = n + 1 WHERE n > \(3)") == 2)
            let rows = try await pool.query("SELECT n, n * 2 AS twice FROM t ORDER BY n")
            #expect(rows.count == 5)
            #expect(rows.columnNames == ["n", "twice"])
            #expect(try rows.map { try $0.decode("twice", as: Int.self) } == [2, 4, 6, 10, 12])
        }
    }
}
