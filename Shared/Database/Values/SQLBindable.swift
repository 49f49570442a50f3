import Foundation
import MusterCore

/// A Swift value that can be sent as a bound parameter (`$1`, `$2`…).
///
/// Interpolating a value into ``SQL`` binds it; the value never becomes SQL
/// text. Optionals bind as `NULL`. A `RawRepresentable` type (e.g. a
/// `String` enum) only has to declare the conformance:
///
/// ```swift
/// enum Status: String, SQLBindable, SQLDecodable { case active, retired }
/// try await pool.execute("UPDATE officers SET status = \(Status.retired) WHERE id = \(id)")
/// ```
public protocol SQLBindable: Sendable {
    /// The type the parameter is declared as.
    static var sqlType: SQLType { get }
    /// The encoded value; `nil` binds `NULL`.
    var sqlValue: SQLValue? { get }
}

extension SQLBindable where Self: RawRepresentable, RawValue: SQLBindable {
    public static var sqlType: SQLType { RawValue.sqlType }
    public var sqlValue: SQLValue? { rawValue.sqlValue }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public static var sqlType: SQLType { Wrapped.sqlType }
    public var sqlValue: SQLValue? { self?.sqlValue }
}

extension String: SQLBindable {
    public static var sqlType: SQLType { .unknown }
    public var sqlValue: SQLValue? { .text(self) }
}

extension Int: SQLBindable {
    public static var sqlType: SQLType { .int8 }
    public var sqlValue: SQLValue? { Int64(self).sqlValue }
}

extension Int64: SQLBindable {
    public static var sqlType: SQLType { .int8 }
    public var sqlValue: SQLValue? { .bigEndian(UInt64(bitPattern: self)) }
}

extension Int32: SQLBindable {
    public static var sqlType: SQLType { .int4 }
    public var sqlValue: SQLValue? { .bigEndian(UInt32(bitPattern: self)) }
}

extension Double: SQLBindable {
    public static var sqlType: SQLType { .float8 }
    public var sqlValue: SQLValue? { .bigEndian(bitPattern) }
}

extension Bool: SQLBindable {
    public static var sqlType: SQLType { .bool }
    public var sqlValue: SQLValue? { withUnsafeBytes(of: self ? 1 as UInt8 : 0) { SQLValue(copying: $0, format: .binary) } }
}

extension UUID: SQLBindable {
    public static var sqlType: SQLType { .uuid }
    public var sqlValue: SQLValue? {
        withUnsafeBytes(of: uuid) { SQLValue(copying: $0, format: .binary) }
    }
}

extension Identifier: SQLBindable {
    public static var sqlType: SQLType { .uuid }
    public var sqlValue: SQLValue? { uuid.sqlValue }
}

/// Binds as `timestamptz` with PostgreSQL's microsecond precision.
extension Date: SQLBindable {
    public static var sqlType: SQLType { .timestamptz }
    public var sqlValue: SQLValue? { .bigEndian(UInt64(bitPattern: TimestampText.postgresMicroseconds(self))) }
}

/// `[UInt8]` binds as `bytea`; `[String]`, `[UUID]`, `[Int]` as `text[]`,
/// `uuid[]`, `int8[]` (use `= ANY(\(ids))` for "in this list").
extension Array: SQLBindable where Element: SQLArrayElement {
    public static var sqlType: SQLType { Element.arraySQLType }
    public var sqlValue: SQLValue? { Element.encodeArray(self) }
}

/// Binds as `bytea`.
extension Data: SQLBindable {
    public static var sqlType: SQLType { .bytea }
    public var sqlValue: SQLValue? { SQLValue(bytes: Array(self), format: .binary) }
}

extension SQLValue {
    /// A fixed-width integer in network byte order, PostgreSQL's binary format
    /// for `int4`, `int8`, `float8` and `timestamptz`.
    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> SQLValue {
        withUnsafeBytes(of: value.bigEndian) { SQLValue(copying: $0, format: .binary) }
    }
}
