import MusterCore

/// A `jsonb` value, encoded and decoded with Muster's JSON conventions
/// (`snake_case` keys, RFC 3339 times).
///
/// ```swift
/// struct Settings: Codable, Sendable { var mfaRequired: Bool }
/// try await tx.execute("UPDATE agency_settings SET data = \(try JSONB(settings))")
/// let settings = try rows[0].decode("data", as: JSONB<Settings>.self).value
/// ```
public struct JSONB<Value: Codable & Sendable>: Sendable, SQLBindable, SQLDecodable, Codable {
    public let value: Value
    /// The encoded JSON text, computed once (encoding can fail; binding cannot).
    private let json: [UInt8]

    public init(_ value: Value) throws {
        self.value = value
        json = try JSONCoding.encode(value)
    }

    private init(value: Value, json: [UInt8]) {
        self.value = value
        self.json = json
    }

    public static var sqlType: SQLType { .jsonb }
    public var sqlValue: SQLValue? { SQLValue(bytes: json, format: .text) }

    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> JSONB {
        JSONB(value: try JSONCoding.decode(Value.self, from: sqlText), json: Array(sqlText))
    }

    public init(from decoder: Decoder) throws {
        try self.init(try Value(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        try value.encode(to: encoder)
    }
}
