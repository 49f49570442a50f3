import MusterHTTP

/// The list shape of every Muster API, `{"items":[…],"next_cursor":…|null}`, with
/// items written by ``CanonicalJSON`` (events and checkpoints show exactly the
/// members their hashes and signatures cover).
enum ListBody {
    static func response<Item>(_ items: [Item], next: String?, _ write: (inout CanonicalJSON, Item) -> Void) -> HTTPResponse {
        var json = CanonicalJSON(capacity: 256 + items.count * 800)
        json.object { o in
            o.member("items") { $0.array(items, write) }
            o.member("next_cursor") { $0.string(next) }
        }
        return .jsonBytes(json.bytes)
    }
}
