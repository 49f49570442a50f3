import CLibPQ

/// One statement ready for libpq: its text and its parameters packed into one
/// buffer, built by the calling task so that the loop thread only sends.
struct Statement: Sendable {
    let text: String
    let types: [Oid]
    /// Every non-NULL value, each followed by a NUL (text values must be C strings).
    private let buffer: [UInt8]
    /// Per parameter, in three runs (one allocation, not three): the lengths,
    /// the formats, then where each value starts in `buffer` (`-1` for `NULL`).
    private let layout: [Int32]

    init(_ sql: SQL) {
        text = sql.text
        let parameters = sql.parameters
        let count = parameters.count
        var buffer: [UInt8] = []
        var layout = [Int32](repeating: 0, count: 3 * count)
        for (index, parameter) in parameters.enumerated() {
            guard let value = parameter.value else {
                layout[2 * count + index] = -1
                continue
            }
            layout[index] = Int32(value.bytes.count)
            layout[count + index] = value.format.rawValue
            layout[2 * count + index] = Int32(buffer.count)
            buffer += value.bytes
            buffer.append(0)
        }
        types = parameters.map { $0.type.oid }
        self.buffer = buffer
        self.layout = layout
    }

    var parameterCount: Int32 { Int32(types.count) }

    /// Calls `body` with the C arrays `PQsendQueryParams`/`PQsendQueryPrepared`
    /// take (values, lengths, formats); the value pointers live on the stack.
    func withParameters<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
        let count = types.count
        guard count > 0 else { return body(nil, nil, nil) }
        return buffer.withUnsafeBytes { raw in
            layout.withUnsafeBufferPointer { layout in
                withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { values in
                    for index in 0..<count {
                        let offset = Int(layout[2 * count + index])
                        values[index] = offset < 0 ? nil : (raw.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                    }
                    return body(UnsafePointer(values.baseAddress!), layout.baseAddress!, layout.baseAddress! + count)
                }
            }
        }
    }
}

/// A connection's prepared statements, by text and parameter types.
struct StatementCache {
    struct Key: Hashable {
        let text: String
        let types: [Oid]
    }

    private var names: [Key: String] = [:]
    /// Names ever allocated on this connection (forgotten ones stay prepared server-side).
    private(set) var allocated = 0

    func name(for key: Key) -> String? { names[key] }

    mutating func allocate(for key: Key) -> String {
        allocated += 1
        let name = "muster_\(allocated)"
        names[key] = name
        return name
    }

    mutating func forget(_ key: Key) {
        names[key] = nil
    }
}
