import Glibc

/// A route trie node's literal children, found by the request segment's bytes.
///
/// Making a `String` of each segment and hashing it for a dictionary cost more
/// than the rest of a route match; a node has a handful of children, so a scan
/// that compares lengths first and bytes only for an equal length is cheaper.
/// The names live back to back in one buffer, checked once when the router is built.
///
/// ```swift
/// let children = RouteLiterals(["users": usersNode, "me": meNode])
/// children.child(segmentBytes)  // usersNode, when the bytes are "users"
/// ```
struct RouteLiterals: Sendable {
    private let names: [UInt8]
    private let spans: [(start: Int, count: Int)]
    private let nodes: [RoutingResponder.Node]

    init(_ children: [String: RoutingResponder.Node]) {
        var names: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        var nodes: [RoutingResponder.Node] = []
        for (name, node) in children.sorted(by: { $0.key < $1.key }) {
            spans.append((names.count, name.utf8.count))
            names.append(contentsOf: name.utf8)
            nodes.append(node)
        }
        self.names = names
        self.spans = spans
        self.nodes = nodes
    }

    /// The child named by `segment`, unretained: the trie owns its nodes for as long as the responder lives.
    func child(_ segment: UnsafeBufferPointer<UInt8>) -> Unmanaged<RoutingResponder.Node>? {
        names.withUnsafeBufferPointer { names in
            for (index, span) in spans.enumerated() where span.count == segment.count {
                if span.count == 0 || memcmp(names.baseAddress! + span.start, segment.baseAddress!, span.count) == 0 {
                    return Unmanaged.passUnretained(nodes[index])
                }
            }
            return nil
        }
    }
}
