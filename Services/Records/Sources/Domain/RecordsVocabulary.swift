/// The fixed vocabularies of Records' fields.
enum PersonnelStatus: String, CaseIterable, Sendable {
    case active, leave, separated
}

/// How a training ended (`absent` only in an event's attendance).
enum RecordOutcome: String, CaseIterable, Sendable {
    case completed, passed, failed
}

enum AttendanceOutcome: String, CaseIterable, Sendable {
    case completed, passed, failed, absent
}

/// A training record's state: staff entries are approved; an officer's submission is
/// pending until a coordinator approves or rejects it; a void record counts for nothing.
enum RecordStatus: String, CaseIterable, Sendable {
    case approved, pending, rejected, voided
}
