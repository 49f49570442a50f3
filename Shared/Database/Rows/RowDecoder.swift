import MusterCore

/// Maps coding keys to result columns by the wire-name rule of ``JSONCoding``
/// (`agencyID` → `agency_id`), once per key for all the rows of one result.
final class ColumnLookup {
    private let result: ResultHandle
    private var positions: [String: Int32?] = [:]

    init(_ result: ResultHandle) {
        self.result = result
    }

    func position(of key: CodingKey) -> Int32? {
        if let known = positions[key.stringValue] { return known }
        let position = Row(result: result, index: 0).columnIndex(JSONCoding.snakeCase(key.stringValue))
        positions[key.stringValue] = position
        return position
    }
}

/// Decodes a `Decodable` value from one row, each property from its column.
struct RowDecoder: Decoder {
    let row: Row
    let columns: ColumnLookup
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer(row: row, columns: columns))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row decodes into a keyed type"))
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row decodes into a keyed type"))
    }
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: Row
    let columns: ColumnLookup
    var codingPath: [CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { columns.position(of: key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { row.isNull(column: try position(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try column(key).decode(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try column(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try column(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try column(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try column(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try column(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try column(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try column(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try column(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try column(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try column(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try column(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try column(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try column(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try column(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw unsupported(key)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { throw unsupported(key) }
    func superDecoder() throws -> Decoder { throw unsupported(nil) }
    func superDecoder(forKey key: Key) throws -> Decoder { throw unsupported(key) }

    private func column(_ key: Key) throws -> ColumnDecoder {
        ColumnDecoder(row: row, column: try position(key), codingPath: [key])
    }

    private func position(_ key: Key) throws -> Int32 {
        guard let position = columns.position(of: key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription:
                "no column \(JSONCoding.snakeCase(key.stringValue)) in the result"))
        }
        return position
    }

    private func unsupported(_ key: Key?) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: key.map { [$0] } ?? [], debugDescription:
            "nested values come from jsonb columns: declare the property as JSONB<Value>"))
    }
}

/// One column seen as a single value: the column's own ``SQLDecodable`` type
/// is used directly; other `Decodable` types (e.g. a `String` enum) decode
/// through a single-value container over it.
private struct ColumnDecoder: Decoder, SingleValueDecodingContainer {
    let row: Row
    let column: Int32
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        type is any SQLDecodable.Type ? try sqlValue(type) : try T(from: self)
    }

    /// Only ``SQLDecodable`` types come straight from a column (no `Float`, no `UInt8`).
    private func sqlValue<T>(_ type: T.Type) throws -> T {
        guard let decodable = type as? any SQLDecodable.Type else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription:
                "\(type) cannot be decoded from a column; use a SQLDecodable type"))
        }
        return try value(decodable) as! T
    }

    private func value<Value: SQLDecodable>(_ type: Value.Type) throws -> Value {
        try row.decode(column: Int(column), as: type)
    }

    func decodeNil() -> Bool { row.isNull(column: column) }
    func decode(_ type: Bool.Type) throws -> Bool { try sqlValue(type) }
    func decode(_ type: String.Type) throws -> String { try sqlValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try sqlValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try sqlValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try sqlValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try sqlValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try sqlValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try sqlValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try sqlValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try sqlValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try sqlValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try sqlValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try sqlValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try sqlValue(type) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription:
            "nested values come from jsonb columns: declare the property as JSONB<Value>"))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription:
            "arrays decode as [String], [UUID] or [Int] properties"))
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }
}
