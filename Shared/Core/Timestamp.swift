import Foundation

/// RFC 3339 times in UTC, the only time format on Muster's wire.
public enum Timestamp {
    public static func rfc3339(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Seconds since the epoch, as a monotonic-enough wall clock for token times.
    public static var nowSeconds: Int { Int(Date().timeIntervalSince1970) }
}
