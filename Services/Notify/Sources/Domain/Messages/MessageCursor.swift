import MusterCore

/// Where a page of the delivery log ends: the last message's creation time (exact,
/// as PostgreSQL printed it) and id. Clients see it as an opaque string.
public struct MessageCursor: Sendable, Equatable {
    public var createdAt: String
    public var id: MessageID

    public init(createdAt: String, id: MessageID) {
        self.createdAt = createdAt
        self.id = id
    }
}
