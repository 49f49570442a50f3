/// The built-in email templates. Other services name them in `EmailRequest.template`.
public enum TemplateName: String, Sendable, CaseIterable, Codable, Comparable {
    case invitation
    case passwordReset = "password_reset"
    case passwordChanged = "password_changed"
    case mfaEnabled = "mfa_enabled"
    case mfaDisabled = "mfa_disabled"
    case accountLocked = "account_locked"
    case renewalReminder = "renewal_reminder"
    case auditCheckpoint = "audit_checkpoint"

    /// Whether the body carries a secret link (invitation, password reset): such a
    /// body is never shown, logged or kept once the message is done.
    public var carriesSecret: Bool { self == .invitation || self == .passwordReset }

    public static func < (lhs: TemplateName, rhs: TemplateName) -> Bool { lhs.rawValue < rhs.rawValue }
}
