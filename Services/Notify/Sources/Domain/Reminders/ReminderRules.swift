import MusterContracts

/// Which items get reminders, and who gets a copy.
///
/// ```swift
/// ReminderRules.isReminded(kind: .hours, status: .met)                 // false: the period is done
/// ReminderRules.isReminded(kind: .certification, status: .met)         // true: it still expires
/// ReminderRules.supervisorCopies(threshold: 30, fromDays: 30)          // true
/// ```
public enum ReminderRules {
    /// Reminders concern what must still happen by `due_on`: met hours and completion
    /// periods and acknowledged policies are done; waived and not-applicable items ask
    /// nothing. Qualifications and certifications are reminded of their expiry even
    /// while still valid (`met`).
    public static func isReminded(kind: DueItem.Kind, status: DueItem.Status) -> Bool {
        switch status {
        case .waived, .notApplicable: false
        case .dueSoon, .inProgress, .overdue: true
        case .met:
            switch kind {
            case .recurring, .certification, .heldCertification: true
            case .hours, .completion, .policy: false
            }
        }
    }

    /// The unit's supervisors get their own copy from `fromDays` before `due_on` and
    /// for every threshold after it (overdue).
    public static func supervisorCopies(threshold: Int, fromDays: Int) -> Bool { threshold <= fromDays }

    /// Only items that are not mandatory may be muted, and only the officer's own copy.
    public static func isMuted(_ item: DueItem, muted: Set<DueItemID>) -> Bool { !item.mandatory && muted.contains(item.item.id) }
}
