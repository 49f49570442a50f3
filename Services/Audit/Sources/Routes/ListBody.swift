import MusterHTTP

/// A ``ListPage`` of items written by ``CanonicalJSON`` (events and checkpoints
/// show exactly the members their hashes and signatures cover).
enum ListBody {
    static func response<Item>(_ items: [Item], next: PageCursor?, _ write: (inout CanonicalJSON, Item) -> Void) -> HTTPResponse {
        let encoded = items.map { item in
            var json = CanonicalJSON(capacity: 800)
            write(&json, item)
            return json.bytes
        }
        return .jsonBytes(ListPage<Never>.bytes(encodedItems: encoded, nextCursor: next?.encoded))
    }
}
