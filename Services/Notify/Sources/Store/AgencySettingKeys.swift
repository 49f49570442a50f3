import MusterDatabase
import MusterTime

/// Notify's settings in each agency's `agency_settings`, with their defaults.
enum AgencySettingKeys {
    /// The agency's name and slug, recorded at provisioning (absent for agencies
    /// provisioned before Notify kept them).
    static let agency = AgencySettingKey<AgencyNaming?>("agency", default: nil)
    /// The Reply-To the agency's admins chose, a bare address.
    static let replyTo = AgencySettingKey<String?>("reply_to", default: nil)
    /// Days before an item's due date at which reminders go out (0: the due date, negative: after it).
    static let reminderThresholds = AgencySettingKey<[Int]>("reminder_thresholds", default: ReminderThresholds.standard.days)
    /// The local hour (0–23, the agency's time zone) of the daily reminder sweep.
    static let reminderHour = AgencySettingKey<Int>("reminder_hour", default: 7)
    /// Supervisors get their copy from this many days before the due date, and when overdue.
    static let supervisorCopyFromDays = AgencySettingKey<Int>("supervisor_copy_from_days", default: 30)
    /// The day of the week the coordinators' digest goes out.
    static let digestWeekday = AgencySettingKey<Weekday>("digest_weekday", default: .monday)
}

/// How an agency is named, as Identity provisioned it.
struct AgencyNaming: Codable, Sendable, Equatable {
    var name: String
    var slug: String
}
