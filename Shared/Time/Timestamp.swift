import Foundation
import Glibc

/// RFC 3339 times in UTC, the only time format on Muster's wire.
public enum Timestamp {
    public static func rfc3339(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Seconds since the epoch, as a monotonic-enough wall clock for token times
    /// (read on every request: `time()`, not a `Date`).
    public static var nowSeconds: Int { Int(Glibc.time(nil)) }
}
