import Foundation
import MusterCore
import MusterCrypto

/// Where a page of the delivery log ends: the last message's creation time (exact,
/// as PostgreSQL printed it) and id. Clients see it as an opaque string.
public struct MessageCursor: Sendable, Equatable, Codable {
    public var createdAt: String
    public var id: MessageID

    public init(createdAt: String, id: MessageID) {
        self.createdAt = createdAt
        self.id = id
    }

    public var encoded: String { Base64URL.encode((try? JSONCoding.encode(self)) ?? []) }

    /// `nil` for anything this type did not encode.
    public init?(encoded: String) {
        guard let bytes = try? Base64URL.decode(encoded), let cursor = try? JSONCoding.decode(MessageCursor.self, from: bytes),
              Timestamp.parse(cursor.createdAt) != nil else { return nil }
        self = cursor
    }
}
