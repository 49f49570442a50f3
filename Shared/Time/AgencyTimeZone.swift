import Foundation

/// An agency's IANA time zone (agency setting `time_zone`, default
/// `America/Chicago`): what "today" means for its records and compliance.
///
/// ```swift
/// let zone = AgencyTimeZone("Pacific/Auckland")!
/// zone.today()                       // the agency's local calendar date now
/// zone.date(at: someInstant)         // the local date of an instant
/// AgencyTimeZone("Mars/Olympus")     // nil
/// ```
public struct AgencyTimeZone: Hashable, Sendable, CustomStringConvertible {
    public static let defaultIdentifier = "America/Chicago"
    public static let `default` = AgencyTimeZone(defaultIdentifier)!

    public let identifier: String
    private let zone: TimeZone

    /// nil unless `identifier` names a zone of the system's IANA database.
    public init?(_ identifier: String) {
        guard !identifier.isEmpty, identifier.count <= 64, let zone = TimeZone(identifier: identifier),
              zone.identifier == identifier else { return nil }
        self.identifier = identifier
        self.zone = zone
    }

    public var description: String { identifier }

    /// The local calendar date of `instant` in this zone.
    public func date(at instant: Date) -> CalendarDate {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: instant))
        return CalendarDate(daysSinceEpoch: CivilCalendar.floorDivision(seconds, 86_400).quotient)
    }

    /// Today in this zone.
    public func today(now: Date = Date()) -> CalendarDate { date(at: now) }

    /// The instant at which local time `hour`:00 begins on `date` (for a local hour
    /// skipped by a daylight-saving change, the first instant after the gap).
    public func instant(of date: CalendarDate, hour: Int) -> Date {
        let localSeconds = date.daysSinceEpoch * 86_400 + Int64(hour) * 3600
        // Two guesses cover every offset change: the offset at the naive instant, then at the corrected one.
        var guess = Date(timeIntervalSince1970: Double(localSeconds - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds))))))
        guess = Date(timeIntervalSince1970: Double(localSeconds - Int64(zone.secondsFromGMT(for: guess))))
        let wall = Int64(guess.timeIntervalSince1970) + Int64(zone.secondsFromGMT(for: guess))
        return wall < localSeconds ? guess.addingTimeInterval(Double(localSeconds - wall)) : guess
    }

    public static func == (lhs: AgencyTimeZone, rhs: AgencyTimeZone) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}
