import MusterCore

/// An email that a service asks Notify to send, through its outbox
/// (`POST /internal/messages`). `id` is the idempotency key.
public struct EmailRequest: Codable, Sendable, Equatable {
    public var id: MessageID
    public var agencyId: AgencyID?
    /// A built-in template name, e.g. `invitation`, `password_reset`, `renewal_reminder`.
    public var template: String
    public var recipient: EmailRecipient
    /// Values for the template's placeholders. Secrets here (reset links) are never logged or shown.
    public var data: [String: String]

    public init(id: MessageID = MessageID(), agencyId: AgencyID?, template: String, recipient: EmailRecipient,
                data: [String: String]) {
        self.id = id
        self.agencyId = agencyId
        self.template = template
        self.recipient = recipient
        self.data = data
    }
}

public struct EmailRecipient: Codable, Sendable, Equatable {
    public var userId: UserID?
    public var address: String
    public var name: String?
    public init(userId: UserID? = nil, address: String, name: String? = nil) {
        self.userId = userId
        self.address = address
        self.name = name
    }
}

/// `POST /internal/messages` body; answered with `AcceptedIDs`.
public struct EmailBatch: Codable, Sendable {
    public var messages: [EmailRequest]
    public init(messages: [EmailRequest]) { self.messages = messages }
}
