import MusterContracts
import MusterCore

/// The audit events of email delivery: one per send and one per failure, naming
/// the template, the recipient user and the status, never the body or the data.
public enum EmailAudit {
    /// - Parameters:
    ///   - reason: the server's reply or why the message could not go out; never message content.
    public static func event(agency: AgencyID?, message: MessageID, template: String, recipient: UserID?,
                             from previous: MessageStatus?, to status: MessageStatus, reason: String?) -> AuditEvent {
        let action = switch status {
        case .sent: "email.sent"
        case .retrying: "email.retrying"
        default: "email.failed"
        }
        return AuditEvent(
            agencyID: agency, actor: .service(.notify), action: action,
            target: AuditTarget(type: "email", id: message.description),
            outcome: status == .sent ? .success : .failure,
            changes: [
                "status": AuditChange(before: previous.map { .string($0.rawValue) } ?? .null, after: .string(status.rawValue)),
                "template": AuditChange(before: .null, after: .string(template)),
                "recipient_user_id": AuditChange(before: .null, after: recipient.map { .string($0.description) } ?? .null),
            ],
            reason: reason.map { String($0.prefix(500)) })
    }
}
