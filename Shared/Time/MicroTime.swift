import Foundation

/// A point in time at PostgreSQL's precision (whole microseconds since the Unix
/// epoch), with one exact text form: `2025-03-01T14:05:09.120000Z` (UTC, always six
/// fractional digits). Audit's hashes and signatures cover that form
/// (`Services/Audit/README.md`): it must never change.
///
/// ```swift
/// let now = MicroTime(Date())
/// now.canonical                               // "2025-03-01T14:05:09.120000Z"
/// MicroTime(canonical: now.canonical) == now  // true
/// ```
public struct MicroTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let microseconds: Int64

    /// The earliest and latest times the canonical form can write (years 0001…9999).
    public static let range = MicroTime(microseconds: -62_135_596_800_000_000)...MicroTime(microseconds: 253_402_300_799_999_999)

    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// Rounds to the microsecond, as PostgreSQL stores a bound `Date`.
    public init(_ date: Date) {
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public static func now() -> MicroTime { MicroTime(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    public var description: String { canonical }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool { lhs.microseconds < rhs.microseconds }

    public var canonical: String {
        let (seconds, fraction) = CivilCalendar.floorDivision(microseconds, 1_000_000)
        let (days, secondOfDay) = CivilCalendar.floorDivision(seconds, 86_400)
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        return String(unsafeUninitializedCapacity: 27) { out in
            out.putDigits(year, at: 0, width: 4)
            out.putDigits(month, at: 5, width: 2)
            out.putDigits(day, at: 8, width: 2)
            out.putDigits(secondOfDay / 3600, at: 11, width: 2)
            out.putDigits(secondOfDay % 3600 / 60, at: 14, width: 2)
            out.putDigits(secondOfDay % 60, at: 17, width: 2)
            out.putDigits(fraction, at: 20, width: 6)
            for (offset, character) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (26, "Z")] as [(Int, Unicode.Scalar)] {
                out[offset] = UInt8(ascii: character)
            }
            return 27
        }
    }

    /// Parses RFC 3339 (`2025-03-01T14:05:09Z`, any number of fractional digits,
    /// `Z` or a `±HH:MM` offset), rounded to the microsecond; nil otherwise.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = Self.digits(bytes, 0..<4), let month = Self.digits(bytes, 5..<7), let day = Self.digits(bytes, 8..<10),
              let hour = Self.digits(bytes, 11..<13), let minute = Self.digits(bytes, 14..<16), let second = Self.digits(bytes, 17..<19),
              year >= 1, (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var micros: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100_000
            var roundUp = false
            let first = index
            while index < bytes.count, let digit = Self.digits(bytes, index..<(index + 1)) {
                if scale > 0 { micros += digit * scale } else if scale == 0, index == first + 6 { roundUp = digit >= 5 }
                scale /= 10
                index += 1
            }
            guard index > first else { return nil }
            if roundUp { micros += 1 }
        }
        var offset: Int64 = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let hours = Self.digits(bytes, (index + 1)..<(index + 3)), let minutes = Self.digits(bytes, (index + 4)..<(index + 6)),
                  hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        microseconds = seconds * 1_000_000 + micros
    }

    private static func digits(_ bytes: [UInt8], _ range: Range<Int>) -> Int64? {
        guard range.upperBound <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[range] {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Parses exactly the canonical form; anything else is nil.
    public init?(canonical text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 27, utf8[10] == UInt8(ascii: "T"), utf8[19] == UInt8(ascii: "."), utf8[26] == UInt8(ascii: "Z"),
              let time = MicroTime(rfc3339: text) else { return nil }
        self = time
    }
}
