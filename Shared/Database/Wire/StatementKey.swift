import CLibPQ

/// What a prepared statement is known by: the pieces of its ``SQL`` (the text
/// around each parameter, and each parameter's type; values play no part).
/// Built from the pieces the statement already holds, so that the usual case,
/// a statement this connection has prepared, neither joins its text nor
/// collects its types: both are made only to prepare it. Two spellings of one
/// text (split differently around its parameters) make two keys, so at worst
/// one text is prepared twice.
///
/// The hash is computed once, eight bytes at a time; the texts are the
/// program's own SQL (values are bound, never part of the text), so a
/// seedless hash exposes nothing to callers.
struct StatementKey: Hashable, Sendable {
    private let pieces: [SQL.Piece]
    private let hash: UInt64

    init(_ sql: SQL) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for piece in sql.pieces {
            switch piece {
            case .text(let text): hash = Self.mix(text, into: hash)
            case .parameter(let parameter): hash = Self.mix(0x1_0000_0000 | UInt64(parameter.type.oid), into: hash)
            }
        }
        pieces = sql.pieces
        self.hash = hash
    }

    /// The statement as sent: text with `$n` placeholders.
    var text: String { SQL(pieces: pieces).text }

    /// The parameters' types, in order.
    var types: [Oid] {
        pieces.compactMap { piece in
            if case .parameter(let parameter) = piece { return parameter.type.oid }
            return nil
        }
    }

    /// The same key without the values of the statement it came from, for the
    /// cache to keep (a large bound value must not live as long as the connection).
    var withoutValues: StatementKey {
        StatementKey(pieces: pieces.map { piece in
            guard case .parameter(let parameter) = piece else { return piece }
            return .parameter(SQLParameter(type: parameter.type, value: nil))
        }, hash: hash)
    }

    private init(pieces: [SQL.Piece], hash: UInt64) {
        self.pieces = pieces
        self.hash = hash
    }

    static func == (lhs: StatementKey, rhs: StatementKey) -> Bool {
        guard lhs.hash == rhs.hash, lhs.pieces.count == rhs.pieces.count else { return false }
        // Piece by piece in place (`zip` and tuple patterns would copy each piece).
        for index in lhs.pieces.indices {
            switch lhs.pieces[index] {
            case .text(let left):
                // Literal texts from one call site share their storage: `==` sees that at once.
                guard case .text(let right) = rhs.pieces[index], left == right else { return false }
            case .parameter(let left):
                guard case .parameter(let right) = rhs.pieces[index], left.type == right.type else { return false }
            }
        }
        return true
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    private static func mix(_ word: UInt64, into hash: UInt64) -> UInt64 {
        (hash ^ word) &* 0x100_0000_01b3
    }

    /// Mixes in the text's bytes eight at a time (its length too, so that
    /// `"ab" + "c"` and `"a" + "bc"` still differ only by chance).
    private static func mix(_ text: String, into hash: UInt64) -> UInt64 {
        var hash = mix(UInt64(text.utf8.count), into: hash)
        let mixed: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var offset = 0
            while offset + 8 <= raw.count {
                hash = mix(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self), into: hash)
                offset += 8
            }
            var tail: UInt64 = 0
            for (shift, byte) in raw[offset...].enumerated() { tail |= UInt64(byte) << (8 * shift) }
            hash = mix(tail, into: hash)
        }
        if mixed == nil {
            for byte in text.utf8 { hash = mix(UInt64(byte), into: hash) }
        }
        return hash
    }
}

