import MusterCore

/// An ordered list of header fields with case-insensitive lookup.
///
/// Names are compared ASCII case-insensitively; the original spelling is kept
/// for forwarding. Values never contain CR or LF: `add` refuses them, so a
/// handler cannot be tricked into header injection.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// Structs rather than tuples: an array of tuples is destroyed through the
    /// runtime's generic tuple walk, field by field, on every request.
    public private(set) var fields: [Field] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    public var count: Int { fields.count }

    public mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    /// The first value of `name`, if any.
    public subscript(name: String) -> String? {
        get {
            for field in fields where Self.equalsIgnoringCase(field.name, name) { return field.value }
            return nil
        }
        set {
            remove(name)
            if let newValue { add(name, newValue) }
        }
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field; a name or value that would break the header block is dropped.
    public mutating func add(_ name: String, _ value: String) {
        guard Self.isValidName(name), Self.isValidValue(value) else { return }
        fields.append(Field(checked: name, value))
    }

    /// A field whose name and value were checked once (every field a list holds
    /// is), so that adding it again costs no scan: constant response headers, a
    /// cached credential.
    ///
    /// ```swift
    /// static let noSniff = HTTPHeaders.Field("X-Content-Type-Options", "nosniff")!
    /// response.headers.add(Self.noSniff)
    /// ```
    public struct Field: Sendable {
        public let name: String
        public let value: String

        /// `nil` when the name or value would break the header block.
        public init?(_ name: String, _ value: String) {
            guard HTTPHeaders.isValidName(name), HTTPHeaders.isValidValue(value) else { return nil }
            self.init(checked: name, value)
        }

        /// A name and value the caller has already checked.
        init(checked name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Appends a checked field without checking it again.
    public mutating func add(_ field: Field) {
        fields.append(field)
    }

    /// Appends the fields of `other` whose names `include` accepts, without checking
    /// them again: they were checked when they were added there.
    ///
    /// ```swift
    /// forwarded.append(contentsOf: request.headers) { name in !HTTPHeaders.equalsIgnoringCase(name, "cookie") }
    /// ```
    public mutating func append(contentsOf other: HTTPHeaders, where include: (_ name: String) -> Bool) {
        for field in other.fields where include(field.name) { fields.append(field) }
    }

    /// Appends a field the parsers already checked byte by byte (`FieldLine.parse`).
    package mutating func appendParsed(_ name: String, _ value: String) {
        fields.append(Field(checked: name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
    }

    /// Removes every field matching `predicate`, in one pass (a proxy dropping hop-by-hop fields).
    ///
    /// ```swift
    /// headers.removeAll { name, _ in name.lowercased().hasPrefix("x-internal-") }
    /// ```
    public mutating func removeAll(where predicate: (_ name: String, _ value: String) -> Bool) {
        // Most calls remove nothing: looking first spares copying fields shared with another value.
        guard fields.contains(where: { predicate($0.name, $0.value) }) else { return }
        fields.removeAll { predicate($0.name, $0.value) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        // Contiguous bytes (every parsed or literal string): a plain loop, no iterator machinery.
        if let equal = a.utf8.withContiguousStorageIfAvailable({ x in
            b.utf8.withContiguousStorageIfAvailable { y in equalBytesIgnoringCase(x, y) }
        }), let equal { return equal }
        for (x, y) in zip(a.utf8, b.utf8) where x != y {
            guard (x | 0x20) == (y | 0x20), (x | 0x20) >= 0x61, (x | 0x20) <= 0x7a else { return false }
        }
        return true
    }

    private static func equalBytesIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<a.count {
            let x = a[index], y = b[index]
            if x != y, (x | 0x20) != (y | 0x20) || (x | 0x20) < 0x61 || (x | 0x20) > 0x7a { return false }
        }
        return true
    }

    /// RFC 9110 token characters.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.withUTF8Bytes { bytes in
            for byte in bytes where !isTokenByte(byte) { return false }
            return true
        }
    }

    /// Visible characters, spaces and tabs; obs-text allowed; no CR, LF or NUL.
    public static func isValidValue(_ value: String) -> Bool {
        // A plain loop over contiguous bytes: every header added passes here (tokens are long).
        value.withUTF8Bytes { bytes in
            for byte in bytes where byte < 0x20 ? byte != 0x09 : byte == 0x7F { return false }
            return true
        }
    }

    @inline(__always)
    public static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
