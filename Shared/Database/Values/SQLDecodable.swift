import Foundation
import MusterCore

/// A Swift type a column can be decoded into, from PostgreSQL's text output.
///
/// Optionals decode `NULL` as `nil`; any other type throws on `NULL`. A
/// `RawRepresentable` type only has to declare the conformance.
///
/// ```swift
/// let name = try row.decode("name", as: String.self)
/// let retiredAt = try row.decode("retired_at", as: Date?.self)
/// ```
public protocol SQLDecodable: Sendable {
    /// Decodes a non-`NULL` value from its text form.
    static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Self
    /// The value for `NULL`; throws unless the type can represent it.
    static func decodeNull() throws -> Self
}

extension SQLDecodable {
    public static func decodeNull() throws -> Self {
        throw RowDecodingError(type: Self.self, reason: "the value is NULL")
    }
}

extension SQLDecodable where Self: RawRepresentable, RawValue: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Self {
        let raw = try RawValue.decode(sqlText: sqlText)
        guard let value = Self(rawValue: raw) else {
            throw RowDecodingError(type: Self.self, reason: "\(raw) is not a known value")
        }
        return value
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Wrapped? {
        try Wrapped.decode(sqlText: sqlText)
    }
    public static func decodeNull() throws -> Wrapped? { nil }
}

extension String: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> String {
        String(decoding: sqlText, as: UTF8.self)
    }
}

extension Int: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Int { try TextParsing.integer(sqlText) }
}

extension Int64: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Int64 { try TextParsing.integer(sqlText) }
}

extension Int32: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Int32 { try TextParsing.integer(sqlText) }
}

extension Double: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Double {
        guard let value = Double(String(decoding: sqlText, as: UTF8.self)) else {
            throw RowDecodingError(type: Double.self, reason: "not a number")
        }
        return value
    }
}

extension Bool: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Bool {
        switch sqlText.first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw RowDecodingError(type: Bool.self, reason: "not a boolean")
        }
    }
}

extension UUID: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> UUID {
        guard let uuid = UUID(canonicalUTF8: sqlText) else {
            throw RowDecodingError(type: UUID.self, reason: "not a UUID")
        }
        return uuid
    }
}

extension Identifier: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Identifier {
        Identifier(try UUID.decode(sqlText: sqlText))
    }
}

/// Decodes `timestamptz`, `timestamp` (as UTC) and `date` (midnight UTC).
extension Date: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Date {
        try TimestampText.parse(sqlText)
    }
}

/// `[UInt8]` decodes `bytea`; arrays of other elements decode one-dimensional arrays.
extension Array: SQLDecodable where Element: SQLArrayElement {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> [Element] {
        try Element.decodeArray(sqlText: sqlText)
    }
}

/// Decodes `bytea`.
extension Data: SQLDecodable {
    public static func decode(sqlText: UnsafeBufferPointer<UInt8>) throws -> Data {
        Data(try TextParsing.bytea(sqlText))
    }
}
