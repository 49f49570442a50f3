import CLibPQ

/// One statement ready for libpq: its text and its parameters packed into one
/// buffer, built by the calling task so that the loop thread only sends.
struct Statement: Sendable {
    /// The text and parameter types, hashed once here: the statement cache
    /// looks every statement up, and the library's own constant statements
    /// (`BEGIN`, `COMMIT`, an agency's `SET LOCAL`) are built once and sent often.
    let key: StatementKey
    /// Every non-NULL value, each followed by a NUL (text values must be C strings).
    private let buffer: [UInt8]
    /// Per parameter, in three runs (one allocation, not three): the lengths,
    /// the formats, then where each value starts in `buffer` (`-1` for `NULL`).
    private let layout: [Int32]

    init(_ sql: SQL) {
        let parameters = sql.parameters
        var buffer: [UInt8] = []
        var layout: [Int32] = []
        var types: [Oid] = []
        // Appends into reserved storage, run by run: `Array(repeating:count:)`
        // is not specialized and looks the array's type up at run time.
        if !parameters.isEmpty {
            layout.reserveCapacity(3 * parameters.count)
            types.reserveCapacity(parameters.count)
            var size = 0
            for parameter in parameters {
                types.append(parameter.type.oid)
                layout.append(Int32(parameter.value?.bytes.count ?? 0))
                size += (parameter.value?.bytes.count ?? -1) + 1
            }
            for parameter in parameters { layout.append(parameter.value?.format.rawValue ?? 0) }
            buffer.reserveCapacity(size)
            for parameter in parameters {
                guard let value = parameter.value else {
                    layout.append(-1)
                    continue
                }
                layout.append(Int32(buffer.count))
                buffer += value.bytes
                buffer.append(0)
            }
        }
        key = StatementKey(text: sql.text, types: types)
        self.buffer = buffer
        self.layout = layout
    }

    var text: String { key.text }
    var types: [Oid] { key.types }
    var parameterCount: Int32 { Int32(key.types.count) }

    /// Calls `body` with the C arrays `PQsendQueryParams`/`PQsendQueryPrepared`
    /// take (values, lengths, formats); the value pointers live on the stack.
    func withParameters<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
        let count = key.types.count
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

/// What a prepared statement is known by: its text and parameter types. The
/// hash is FNV-1a over the text's bytes, computed once; the texts are the
/// program's own SQL (values are bound, never part of the text), so a
/// seedless hash exposes nothing to callers.
struct StatementKey: Hashable, Sendable {
    let text: String
    let types: [Oid]
    private let hash: UInt64

    init(text: String, types: [Oid]) {
        var text = text
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        text.withUTF8 { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        for type in types { hash = (hash ^ UInt64(type)) &* 0x100_0000_01b3 }
        self.text = text
        self.types = types
        self.hash = hash
    }

    static func == (lhs: StatementKey, rhs: StatementKey) -> Bool {
        lhs.hash == rhs.hash && lhs.text == rhs.text && lhs.types == rhs.types
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}

/// A connection's prepared statements, by text and parameter types.
struct StatementCache {
    private var names: [StatementKey: String] = [:]
    /// Names ever allocated on this connection (forgotten ones stay prepared server-side).
    private(set) var allocated = 0

    func name(for key: StatementKey) -> String? { names[key] }

    mutating func allocate(for key: StatementKey) -> String {
        allocated += 1
        let name = "muster_\(allocated)"
        names[key] = name
        return name
    }

    mutating func forget(_ key: StatementKey) {
        names[key] = nil
    }
}
