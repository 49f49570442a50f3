import MusterDatabase
import MusterTime
import Testing

/// `CalendarDate` as a `date` parameter and column, checked against PostgreSQL's own
/// date arithmetic (an independent oracle for the day count).
@Suite(requiresDatabase) struct CalendarDateBindingTests {
    static let samples = ["0001-01-01", "1582-10-15", "1969-12-31", "1970-01-01", "2000-01-01", "2000-02-29",
                          "2024-01-31", "2025-12-31", "9999-12-31"]

    @Test func datesRoundTripAndAgreeWithPostgres() async throws {
        try await TestDatabase.withPool { pool in
            for text in Self.samples {
                let date = try #require(CalendarDate(text))
                let row = try await pool.query("""
                    SELECT \(date) AS v, \(date)::text AS t, (\(date) - DATE '1970-01-01')::int8 AS days,
                           \(text)::date = \(date) AS same
                    """)[0]
                #expect(try row.decode("v", as: CalendarDate.self) == date)
                #expect(try row.decode("t", as: String.self) == text)
                #expect(try row.decode("days", as: Int64.self) == date.daysSinceEpoch)
                #expect(try row.decode("same", as: Bool.self))
            }
        }
    }

    @Test func nullAndUnrepresentableValues() async throws {
        try await TestDatabase.withPool { pool in
            let none: CalendarDate? = nil
            #expect(try await pool.query("SELECT \(none) AS v")[0].decode("v", as: CalendarDate?.self) == nil)
            let infinite = try await pool.query("SELECT 'infinity'::date AS v")[0]
            #expect(throws: RowDecodingError.self) { try infinite.decode("v", as: CalendarDate.self) }
        }
    }
}
