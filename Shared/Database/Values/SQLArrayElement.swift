import Foundation
import MusterCore

/// A type whose Swift arrays bind and decode as one PostgreSQL value:
/// `[String]` ↔ `text[]`, `[UUID]`/`[Identifier]` ↔ `uuid[]`, `[Int]` ↔ `int8[]`,
/// and `[UInt8]` ↔ `bytea`.
///
/// ```swift
/// let rows = try await tx.query("SELECT name FROM units WHERE id = ANY(\(unitIDs))")
/// let tags = try rows[0].decode("tags", as: [String].self)
/// ```
public protocol SQLArrayElement: Sendable {
    static var arraySQLType: SQLType { get }
    static func encodeArray(_ elements: [Self]) -> SQLValue
    static func decodeArray(sqlText: UnsafeBufferPointer<UInt8>) throws -> [Self]
}

extension UInt8: SQLArrayElement {
    public static var arraySQLType: SQLType { .bytea }
    public static func encodeArray(_ elements: [UInt8]) -> SQLValue { SQLValue(bytes: elements, format: .binary) }
    public static func decodeArray(sqlText: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        try TextParsing.bytea(sqlText)
    }
}

extension String: SQLArrayElement {
    public static var arraySQLType: SQLType { .textArray }
    public static func encodeArray(_ elements: [String]) -> SQLValue { ArrayText.encode(elements) }
    public static func decodeArray(sqlText: UnsafeBufferPointer<UInt8>) throws -> [String] {
        try ArrayText.decode(sqlText)
    }
}

extension Int: SQLArrayElement {
    public static var arraySQLType: SQLType { .int8Array }
    public static func encodeArray(_ elements: [Int]) -> SQLValue { ArrayText.encode(elements.map(String.init)) }
    public static func decodeArray(sqlText: UnsafeBufferPointer<UInt8>) throws -> [Int] {
        try ArrayText.decode(sqlText)
    }
}

extension UUID: SQLArrayElement {
    public static var arraySQLType: SQLType { .uuidArray }
    public static func encodeArray(_ elements: [UUID]) -> SQLValue { ArrayText.encode(elements.map(\.uuidString)) }
    public static func decodeArray(sqlText: UnsafeBufferPointer<UInt8>) throws -> [UUID] {
        try ArrayText.decode(sqlText)
    }
}

extension Identifier: SQLArrayElement {
    public static var arraySQLType: SQLType { .uuidArray }
    public static func encodeArray(_ elements: [Identifier]) -> SQLValue { UUID.encodeArray(elements.map(\.uuid)) }
    public static func decodeArray(sqlText: UnsafeBufferPointer<UInt8>) throws -> [Identifier] {
        try UUID.decodeArray(sqlText: sqlText).map(Identifier.init)
    }
}
