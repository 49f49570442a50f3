import CLibPQ

/// One statement ready for libpq: its text and its parameters packed into one
/// buffer, built by the calling task so that the loop thread only sends.
struct Statement: Sendable {
    /// Hashed once here: the statement cache looks every statement up, and the
    /// library's own constant statements (`BEGIN`, `COMMIT`, an agency's
    /// `SET LOCAL`) are built once and sent often.
    let key: StatementKey
    /// Per parameter, in three runs: the lengths, the formats, then where
    /// each value starts among the bytes (`-1` for `NULL`); then the bytes of
    /// every non-NULL value, each followed by a NUL (text values must be C
    /// strings). One allocation for all of it.
    private let layout: [Int32]
    let parameterCount: Int32

    init(_ sql: SQL) {
        var count = 0
        var size = 0
        for case .parameter(let parameter) in sql.pieces {
            count += 1
            if let value = parameter.value { size += value.count + 1 }
        }
        var layout: [Int32] = []
        // Appends into reserved storage, run by run: `Array(repeating:count:)`
        // is not specialized and looks the array's type up at run time.
        if count > 0 {
            layout.reserveCapacity(3 * count + (size + 3) / 4)
            for case .parameter(let parameter) in sql.pieces { layout.append(Int32(parameter.value?.count ?? 0)) }
            for case .parameter(let parameter) in sql.pieces { layout.append(parameter.value?.format.rawValue ?? 0) }
            var offset = 0
            for case .parameter(let parameter) in sql.pieces {
                guard let value = parameter.value else {
                    layout.append(-1)
                    continue
                }
                layout.append(Int32(offset))
                offset += value.count + 1
            }
            // Zeroed words, so that each value's NUL is already in place.
            for _ in 0..<(size + 3) / 4 { layout.append(0) }
            layout.withUnsafeMutableBytes { raw in
                var position = 12 * count
                for case .parameter(let parameter) in sql.pieces {
                    guard let value = parameter.value else { continue }
                    value.withBytes { bytes in
                        if let source = bytes.baseAddress { (raw.baseAddress! + position).copyMemory(from: source, byteCount: bytes.count) }
                    }
                    position += value.count + 1
                }
            }
        }
        key = StatementKey(sql)
        parameterCount = Int32(count)
        self.layout = layout
    }

    // The libpq calls below read what they need into locals first: a closure
    // that captured `self` would copy the statement (a retain per buffer).

    /// Queues the statement with its values, unprepared (`PQsendQueryParams`).
    func send(on pg: OpaquePointer) -> Bool {
        let (text, types, count) = (key.text, key.types, parameterCount)
        return withParameters { values, lengths, formats in
            PQsendQueryParams(pg, text, count, types, values, lengths, formats, 0) == 1
        }
    }

    /// Queues the preparation of the statement as `name` (`PQsendPrepare`).
    func prepare(on pg: OpaquePointer, as name: String) -> Bool {
        PQsendPrepare(pg, name, key.text, parameterCount, key.types) == 1
    }

    /// Queues the statement prepared as `name`, with its values (`PQsendQueryPrepared`).
    func send(on pg: OpaquePointer, as name: String) -> Bool {
        let count = parameterCount
        // An optional String would be copied into a new C string; this borrows it.
        return name.withCString { name in
            withParameters { values, lengths, formats in
                PQsendQueryPrepared(pg, name, count, values, lengths, formats, 0) == 1
            }
        }
    }

    /// Calls `body` with the C arrays `PQsendQueryParams`/`PQsendQueryPrepared`
    /// take (values, lengths, formats); the value pointers live on the stack.
    private func withParameters<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
        let count = Int(parameterCount)
        guard count > 0 else { return body(nil, nil, nil) }
        return layout.withUnsafeBufferPointer { layout in
            let bytes = UnsafeRawPointer(layout.baseAddress! + 3 * count)
            return withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { values in
                for index in 0..<count {
                    let offset = Int(layout[2 * count + index])
                    values[index] = offset < 0 ? nil : (bytes + offset).assumingMemoryBound(to: CChar.self)
                }
                return body(UnsafePointer(values.baseAddress!), layout.baseAddress!, layout.baseAddress! + count)
            }
        }
    }
}
