import MusterTime

/// `CalendarDate` binds as `date` (binary: days since 2000-01-01) and decodes
/// PostgreSQL's ISO output `YYYY-MM-DD`; `infinity` and BC dates are refused.
///
/// ```swift
/// try await tx.execute("UPDATE certifications SET expires_on = \(issued.addingMonths(24)) WHERE id = \(id)")
/// let completed = try row.decode("completed_on", as: CalendarDate.self)
/// ```
extension CalendarDate: SQLBindable, SQLDecodable {
    /// 2000-01-01, PostgreSQL's date epoch, in days since 1970-01-01.
    private static let postgresEpoch: Int64 = 10_957

    public static var sqlType: SQLType { .date }
    public var sqlValue: SQLValue? { .bigEndian(Int32(truncatingIfNeeded: daysSinceEpoch - Self.postgresEpoch)) }

    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> CalendarDate {
        guard let date = CalendarDate(String(decoding: sqlText, as: UTF8.self)) else {
            throw RowDecodingError(type: CalendarDate.self, reason: "not a date (YYYY-MM-DD)")
        }
        return date
    }
}
