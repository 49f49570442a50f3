import Foundation

/// A typed UUID: `AgencyID`, `UserID`… cannot be mixed up with one another.
///
/// ```swift
/// let agency = AgencyID()                      // random v4
/// let parsed = AgencyID(string: "…")           // nil unless a well-formed UUID
/// ```
public struct Identifier<Tag>: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let uuid: UUID

    public init() { uuid = UUID() }
    public init(_ uuid: UUID) { self.uuid = uuid }
    public init?(string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.uuid = uuid
    }

    /// Lower-case canonical form, as stored and as sent in JSON.
    public var description: String { uuid.lowercasedText }

    /// 32 lower-case hex digits without dashes (used to build schema names).
    public var hex: String { uuid.compactHexText }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let uuid = UUID(uuidString: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a UUID"))
        }
        self.uuid = uuid
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The order of the canonical text, compared without making it (hex digits keep the bytes' order).
    public static func < (lhs: Self, rhs: Self) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in left.lexicographicallyPrecedes(right) }
        }
    }
}

public enum AgencyTag: Sendable {}
public enum UserTag: Sendable {}
public enum SessionTag: Sendable {}
public enum EventTag: Sendable {}
public enum MessageTag: Sendable {}
/// Records' people and units, named by other services too (Notify's reminders).
public enum PersonTag: Sendable {}
public enum UnitTag: Sendable {}

public typealias AgencyID = Identifier<AgencyTag>
public typealias UserID = Identifier<UserTag>
public typealias SessionID = Identifier<SessionTag>
public typealias EventID = Identifier<EventTag>
public typealias MessageID = Identifier<MessageTag>
public typealias PersonID = Identifier<PersonTag>
public typealias UnitID = Identifier<UnitTag>
