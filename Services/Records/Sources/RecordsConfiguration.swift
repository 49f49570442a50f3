import MusterCore

/// Records' own settings, read once from the environment at start (every variable
/// goes in README.md's configuration table). Records has none yet: the common ones
/// (port, database, pool) are in `ServiceConfiguration`.
///
/// A setting is added as a documented property read in `init`, with its default:
///
/// ```swift
/// /// `MUSTER_RECORDS_REMINDER_DAYS` (default 30): how long before expiry a reminder goes out.
/// public let reminderLeadDays: Int
///
/// public init(environment: Environment) throws {
///     reminderLeadDays = try environment.int("MUSTER_RECORDS_REMINDER_DAYS", default: 30)
/// }
/// ```
public struct RecordsConfiguration: Sendable {
    public init(environment: Environment) throws {}
}
