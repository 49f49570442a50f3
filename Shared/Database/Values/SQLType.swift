/// A PostgreSQL data type, by its OID, as parameters declare it.
///
/// ```swift
/// extension Money: SQLBindable {
///     public static var sqlType: SQLType { .int8 }
///     public var sqlValue: SQLValue? { .text(String(cents)) }
/// }
/// ```
public struct SQLType: Hashable, Sendable {
    public let oid: UInt32
    public init(oid: UInt32) { self.oid = oid }

    /// Lets the server infer the type from the statement (used for strings, so
    /// that one `String` binds to `text`, `varchar`, enums, `date`, `citext`…).
    public static let unknown = SQLType(oid: 0)
    public static let bool = SQLType(oid: 16)
    public static let bytea = SQLType(oid: 17)
    public static let int8 = SQLType(oid: 20)
    public static let int4 = SQLType(oid: 23)
    public static let text = SQLType(oid: 25)
    public static let float8 = SQLType(oid: 701)
    public static let date = SQLType(oid: 1082)
    public static let timestamptz = SQLType(oid: 1184)
    public static let uuid = SQLType(oid: 2950)
    public static let jsonb = SQLType(oid: 3802)
    public static let textArray = SQLType(oid: 1009)
    public static let int8Array = SQLType(oid: 1016)
    public static let uuidArray = SQLType(oid: 2951)
}

/// One encoded parameter value, in PostgreSQL's text or binary format.
public struct SQLValue: Sendable {
    public enum Format: Int32, Sendable {
        case text = 0
        case binary = 1
    }

    /// Values of up to 16 bytes (integers, floats, timestamps, UUIDs) are
    /// kept inline: binding one allocates nothing.
    private enum Storage: Sendable {
        case inline(UInt64, UInt64, count: Int)
        case array([UInt8])
    }

    private let storage: Storage
    public let format: Format

    public init(bytes: [UInt8], format: Format) {
        self.init(storage: .array(bytes), format: format)
    }

    private init(storage: Storage, format: Format) {
        self.storage = storage
        self.format = format
    }

    /// Copies `bytes` inline if they fit.
    init(copying bytes: UnsafeRawBufferPointer, format: Format) {
        guard bytes.count <= 16 else {
            self.init(bytes: Array(bytes), format: format)
            return
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
        self.init(storage: .inline(words.0, words.1, count: bytes.count), format: format)
    }

    public var bytes: [UInt8] { withBytes { Array($0) } }

    var count: Int {
        switch storage {
        case .inline(_, _, let count): count
        case .array(let bytes): bytes.count
        }
    }

    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch storage {
        case .inline(let first, let second, let count):
            withUnsafeBytes(of: (first, second)) { body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        case .array(let bytes):
            bytes.withUnsafeBytes(body)
        }
    }

    /// The value in PostgreSQL's text input format.
    public static func text(_ text: String) -> SQLValue {
        SQLValue(bytes: Array(text.utf8), format: .text)
    }
}
