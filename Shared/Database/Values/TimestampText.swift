import Foundation
import MusterTime

/// PostgreSQL times: the binary parameter form (microseconds since
/// 2000-01-01 UTC) and the ISO text output (`2024-05-01 13:45:00.123456+00`).
enum TimestampText {
    /// Seconds between the Unix epoch and PostgreSQL's epoch (2000-01-01).
    private static let postgresEpoch: Int64 = 946_684_800

    static func postgresMicroseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) - postgresEpoch * 1_000_000
    }

    /// Parses `timestamptz` (any UTC offset), `timestamp` (taken as UTC) and
    /// `date` (midnight UTC) in the `ISO` DateStyle, PostgreSQL's default.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Date {
        switch String(decoding: bytes, as: UTF8.self) {
        case "infinity": return .distantFuture
        case "-infinity": return .distantPast
        default: break
        }
        var reader = Reader(bytes: bytes)
        let year = try reader.number(maxDigits: 7)
        try reader.expect("-")
        let month = try reader.number(maxDigits: 2)
        try reader.expect("-")
        let day = try reader.number(maxDigits: 2)
        var seconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400
        var micros: Int64 = 0
        if !reader.atEnd {
            guard reader.skip(" ") || reader.skip("T") else { throw reader.invalid() }
            let hour = try reader.number(maxDigits: 2)
            try reader.expect(":")
            let minute = try reader.number(maxDigits: 2)
            try reader.expect(":")
            seconds += hour * 3600 + minute * 60 + (try reader.number(maxDigits: 2))
            if reader.skip(".") { micros = try reader.fraction() }
            if !reader.atEnd { seconds -= try reader.offset() }
        }
        guard reader.atEnd else { throw reader.invalid() }
        return Date(timeIntervalSince1970: Double(seconds * 1_000_000 + micros) / 1_000_000)
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        func invalid() -> RowDecodingError {
            RowDecodingError(type: Date.self, reason: "not an ISO timestamp (DateStyle must be ISO)")
        }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func expect(_ character: Unicode.Scalar) throws {
            guard skip(character) else { throw invalid() }
        }

        mutating func number(maxDigits: Int) throws -> Int64 {
            var value: Int64 = 0
            let start = index
            while index < bytes.count, index - start < maxDigits, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                value = value * 10 + Int64(digit)
                index += 1
            }
            guard index > start else { throw invalid() }
            return value
        }

        /// Up to six fractional digits, as microseconds.
        mutating func fraction() throws -> Int64 {
            let start = index
            var value = try number(maxDigits: 6)
            for _ in (index - start)..<6 { value *= 10 }
            return value
        }

        /// `+HH`, `+HH:MM` or `+HH:MM:SS`, as seconds east of UTC.
        mutating func offset() throws -> Int64 {
            let sign: Int64
            if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { throw invalid() }
            var seconds = try number(maxDigits: 2) * 3600
            if skip(":") { seconds += try number(maxDigits: 2) * 60 }
            if skip(":") { seconds += try number(maxDigits: 2) }
            return sign * seconds
        }
    }
}
