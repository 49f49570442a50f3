import MusterCore

/// The list shape of every Muster API: `{"items":[…],"next_cursor":"…"|null}`
/// (`null`, never absent, on the last page: clients test for the end the same way
/// everywhere). Lists are read with ``PageRequest``; the cursor is a ``PageCursor``.
///
/// ```swift
/// return try .json(ListPage(items: users.map(UserView.init), nextCursor: next?.encoded))
/// // items a service encodes itself (Audit's canonical form):
/// return .jsonBytes(ListPage<Never>.bytes(encodedItems: events.map(\.json), nextCursor: nil))
/// ```
public struct ListPage<Item: Encodable>: Encodable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: CodingKey { case items, nextCursor }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension ListPage where Item == Never {
    /// The same body around items already encoded as JSON, in order.
    public static func bytes(encodedItems: [[UInt8]], nextCursor: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedItems.reduce(64) { $0 + $1.count + 1 })
        out += Array(#"{"items":["#.utf8)
        for (index, item) in encodedItems.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += item
        }
        out += Array(#"],"next_cursor":"#.utf8)
        out += Array((nextCursor.map(JSONText.quoted) ?? "null").utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
