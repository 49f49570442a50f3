import MusterContracts
import MusterTime

/// How reminders put dates and work into words (US English, the agency's local dates).
///
/// ```swift
/// ReminderWording.date(CalendarDate("2025-03-31")!)         // "Monday, March 31, 2025"
/// ReminderWording.whenDue(daysLeft: -7)                       // "7 days ago"
/// ReminderWording.missing(MissingWork(remainingHours: 12.5))  // "12.5 hours of training"
/// ```
public enum ReminderWording {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                 "October", "November", "December"]

    public static func date(_ day: CalendarDate) -> String {
        let weekday = Weekday(of: day).rawValue
        return "\(weekday.prefix(1).uppercased() + weekday.dropFirst()), \(months[day.month - 1]) \(day.day), \(day.year)"
    }

    public static func whenDue(daysLeft: Int) -> String {
        switch daysLeft {
        case 0: "today"
        case 1: "tomorrow"
        case -1: "yesterday"
        case 2...: "in \(daysLeft) days"
        default: "\(-daysLeft) days ago"
        }
    }

    public static func missing(_ work: MissingWork, kind: DueItem.Kind) -> String {
        var parts: [String] = []
        if let hours = work.remainingHours, hours > 0 { parts.append("\(number(hours)) hours of training") }
        for category in work.categories where category.remainingHours > 0 {
            parts.append("\(number(category.remainingHours)) hours in \(category.categoryCodes.joined(separator: " or "))")
        }
        if let renew = work.renew {
            switch kind {
            case .policy: parts.append("acknowledge \(renew)")
            case .completion: parts.append("complete \(renew)")
            default: parts.append("renew \(renew)")
            }
        }
        return parts.isEmpty ? "nothing recorded yet" : parts.joined(separator: "; ")
    }

    /// One line of the coordinator digest.
    public static func digestLine(_ item: DueItem, on day: CalendarDate) -> String {
        "- \(item.personName): \(item.item.name), due \(date(item.dueOn)) (\(whenDue(daysLeft: day.days(until: item.dueOn))))"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
