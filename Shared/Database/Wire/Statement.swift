import CLibPQ

/// One statement ready for libpq: its text and its parameters packed into one
/// buffer, built by the calling task so that the loop thread only sends.
struct Statement: Sendable {
    let text: String
    let types: [Oid]
    /// Every non-NULL value, each followed by a NUL (text values must be C strings).
    private let buffer: [UInt8]
    /// Where each value starts in `buffer`; `-1` for `NULL`.
    private let offsets: [Int]
    private let lengths: [Int32]
    private let formats: [Int32]

    init(_ sql: SQL) {
        text = sql.text
        let parameters = sql.parameters
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        offsets.reserveCapacity(parameters.count)
        lengths.reserveCapacity(parameters.count)
        formats.reserveCapacity(parameters.count)
        for parameter in parameters {
            guard let value = parameter.value else {
                offsets.append(-1)
                lengths.append(0)
                formats.append(0)
                continue
            }
            offsets.append(buffer.count)
            buffer += value.bytes
            buffer.append(0)
            lengths.append(Int32(value.bytes.count))
            formats.append(value.format.rawValue)
        }
        types = parameters.map { $0.type.oid }
        self.buffer = buffer
        self.offsets = offsets
        self.lengths = lengths
        self.formats = formats
    }

    var parameterCount: Int32 { Int32(types.count) }

    /// Calls `body` with the C arrays `PQsendQueryParams`/`PQsendQueryPrepared` take.
    func withParameters<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
        guard !offsets.isEmpty else { return body(nil, nil, nil) }
        return buffer.withUnsafeBytes { raw in
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset < 0 ? nil : (raw.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
            }
            return body(values, lengths, formats)
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
