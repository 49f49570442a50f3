/// The built-in email templates. Other services name them in `EmailRequest.template`.
public enum TemplateName: String, Sendable, CaseIterable, Codable {
    case invitation
    case passwordReset = "password_reset"
    case passwordChanged = "password_changed"
    case mfaEnabled = "mfa_enabled"
    case mfaDisabled = "mfa_disabled"
    case accountLocked = "account_locked"
    case renewalReminder = "renewal_reminder"
    case auditCheckpoint = "audit_checkpoint"
    case trainingApproved = "training_approved"
    case trainingRejected = "training_rejected"
    case reminder
    case reminderSupervisor = "reminder_supervisor"
    case digest
}
