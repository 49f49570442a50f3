/// What an attachment belongs to: a training record, a certification or an expense
/// (its receipt). The path segment of its routes and its column in `attachments`.
enum AttachmentOwner: String, CaseIterable, Sendable {
    case trainingRecord = "training_record"
    case certification
    case expense

    /// `/training-records/{id}/attachments`, …
    var path: String {
        switch self {
        case .trainingRecord: "/training-records"
        case .certification: "/certifications"
        case .expense: "/expenses"
        }
    }

    var noun: String {
        switch self {
        case .trainingRecord: "training record"
        case .certification: "certification"
        case .expense: "expense"
        }
    }
}
