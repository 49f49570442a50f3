import MusterCore

/// An email that a service asks Notify to send, through its outbox
/// (`POST /internal/messages`). `id` is the idempotency key.
///
/// `data` by template (Notify builds links from `MUSTER_PUBLIC_URL`; keys it does
/// not know are ignored; a message without a required key is stored as `failed`):
///
/// | template | required | optional |
/// |---|---|---|
/// | `invitation` | `token` | `inviter_name`, `expires_at` (RFC 3339) or `expires_in_hours` |
/// | `password_reset` | `token` | `expires_at` or `expires_in_minutes` |
/// | `password_changed`, `mfa_enabled`, `mfa_disabled` | — | `changed_at` |
/// | `account_locked` (to an admin) | `locked_email` | `failures`, `locked_until` |
/// | `renewal_reminder` | `certification_name`, `expires_on` (`YYYY-MM-DD`) | — |
/// | `audit_checkpoint` | `seq`, `hash` | `signed_at`, `kid`, `checkpoint` |
///
/// Every template also reads `agency_name` and `recipient_name` when Notify knows
/// no better (its own record of the agency, `recipient.name`).
public struct EmailRequest: Codable, Sendable, Equatable {
    public var id: MessageID
    public var agencyID: AgencyID?
    /// A built-in template name, e.g. `invitation`, `password_reset`, `renewal_reminder`.
    public var template: String
    public var recipient: EmailRecipient
    /// Values for the template's placeholders. Secrets here (reset links) are never logged or shown.
    public var data: [String: String]

    public init(id: MessageID = MessageID(), agencyID: AgencyID?, template: String, recipient: EmailRecipient,
                data: [String: String]) {
        self.id = id
        self.agencyID = agencyID
        self.template = template
        self.recipient = recipient
        self.data = data
    }
}

public struct EmailRecipient: Codable, Sendable, Equatable {
    public var userID: UserID?
    public var address: String
    public var name: String?
    public init(userID: UserID? = nil, address: String, name: String? = nil) {
        self.userID = userID
        self.address = address
        self.name = name
    }
}

/// `POST /internal/messages` body; answered with `AcceptedIDs`.
public struct EmailBatch: Codable, Sendable {
    public var messages: [EmailRequest]
    public init(messages: [EmailRequest]) { self.messages = messages }
}
