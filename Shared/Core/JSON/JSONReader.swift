/// The one strict JSON reader (RFC 8259) of Muster, for hot paths that cannot pay
/// for `JSONDecoder` (a token's claims in about a microsecond, where `JSONDecoder`
/// takes ten; an audit event batch several times faster). Objects are read as
/// member lists: for a dozen short names a linear scan beats hashing.
///
/// Refused: anything after the value, trailing commas, comments, duplicate member
/// names (RFC 7515 §5.2 lets JWS parsers refuse them; a repeated name is never
/// what a Muster sender meant), unescaped control characters, invalid UTF-8, lone
/// surrogates, numbers JSON does not allow or a `Double` cannot hold, and whatever
/// passes the ``Limits`` (nesting depth, members of one object).
///
/// ```swift
/// let root = try JSONReader.parse(request.body)             // throws JSONReader.Malformed
/// if case .string(let id)? = root["id"] { … }
/// root.value                                                 // as a JSONValue
/// try JSONReader.parse(claims, limits: .init(depth: 16, members: 64))
/// ```
public enum JSONReader {
    /// A parsed value; objects keep their members in order.
    public enum Node: Sendable, Equatable {
        // Not `indirect`: arrays already keep their elements on the heap.
        case object([(name: String, value: Node)])
        case array([Node])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null

        /// The member `name` of an object; nil otherwise.
        public subscript(name: String) -> Node? {
            guard case .object(let members) = self else { return nil }
            return members.first { $0.name == name }?.value
        }

        public var value: JSONValue {
            switch self {
            case .object(let members): .object(Dictionary(members.map { ($0.name, $0.value.value) }, uniquingKeysWith: { _, last in last }))
            case .array(let elements): .array(elements.map(\.value))
            case .string(let text): .string(text)
            case .number(let number): .number(number)
            case .bool(let flag): .bool(flag)
            case .null: .null
            }
        }

        public static func == (lhs: Node, rhs: Node) -> Bool { lhs.value == rhs.value }
    }

    /// How deep values may nest and how many members one object may have.
    public struct Limits: Sendable {
        public var depth: Int
        public var members: Int

        public init(depth: Int = 64, members: Int = .max) {
            self.depth = depth
            self.members = members
        }
    }

    public struct Malformed: Error, Equatable {
        /// The byte offset where reading stopped.
        public let offset: Int
    }

    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(Malformed) -> Node {
        try bytes.withUnsafeBufferPointer { buffer throws(Malformed) in
            var cursor = Cursor(bytes: buffer, limits: limits)
            let value = try cursor.value(depth: 0)
            cursor.skipSpace()
            guard cursor.index == buffer.count else { throw cursor.malformed }
            return value
        }
    }
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONReader.Limits
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONReader.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    var malformed: JSONReader.Malformed { JSONReader.Malformed(offset: index) }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    mutating func value(depth: Int) throws(JSONReader.Malformed) -> JSONReader.Node {
        skipSpace()
        guard index < bytes.count, depth < limits.depth else { throw malformed }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try members(depth: depth))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        default: return .number(try number())
        }
    }

    /// Consumes `byte` if it comes next (after white space).
    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws(JSONReader.Malformed) {
        guard consume(byte) else { throw malformed }
    }

    /// An object's members; `index` is on the opening brace.
    private mutating func members(depth: Int) throws(JSONReader.Malformed) -> [(name: String, value: JSONReader.Node)] {
        index += 1
        var members: [(name: String, value: JSONReader.Node)] = []
        if consume(UInt8(ascii: "}")) { return members }
        members.reserveCapacity(12)
        // Past a few members, duplicates are found by hashing: a long object must not cost quadratic time.
        var names: Set<String> = []
        repeat {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), members.count < limits.members else { throw malformed }
            let name = try string()
            if members.count < 16 {
                guard !members.contains(where: { $0.name == name }) else { throw malformed }
            } else {
                if names.isEmpty { names = Set(members.map(\.name)) }
                guard names.insert(name).inserted else { throw malformed }
            }
            try expect(UInt8(ascii: ":"))
            members.append((name, try value(depth: depth + 1)))
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
        return members
    }

    private mutating func array(depth: Int) throws(JSONReader.Malformed) -> [JSONReader.Node] {
        index += 1
        var elements: [JSONReader.Node] = []
        if consume(UInt8(ascii: "]")) { return elements }
        repeat { elements.append(try value(depth: depth + 1)) } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
        return elements
    }

    private mutating func word(_ text: StaticString) throws(JSONReader.Malformed) {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw malformed }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { throw malformed }
        index += count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, finite as a `Double`.
    private mutating func number() throws(JSONReader.Malformed) -> Double {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw malformed }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { digits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw malformed }
            digits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw malformed }
            digits()
        }
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)),
              value.isFinite else {
            index = start
            throw malformed
        }
        return value
    }

    private mutating func digits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// A string; `index` is on its opening quote. Escapes decoded, UTF-8 validated.
    private mutating func string() throws(JSONReader.Malformed) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string;
        // all-ASCII text (the usual case) needs no UTF-8 validation either.
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                let text = ascii ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
                guard let text else { throw malformed }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            guard byte >= 0x20 else { throw malformed }
            ascii = ascii && byte < 0x80
            index += 1
        }
        throw malformed
    }

    /// The slow path, once a backslash appeared.
    private mutating func escapedString(from start: Int) throws(JSONReader.Malformed) -> String {
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw malformed }
                index += 1
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw malformed }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(bytes[index])
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out += Array(String(try unicodeEscape()).utf8)
                default: throw malformed
                }
                index += 1
            case 0..<0x20:
                throw malformed
            default:
                out.append(byte)
                index += 1
            }
        }
        throw malformed
    }

    /// `\uXXXX` (at the `u`), joining a surrogate pair; leaves `index` on the last hex digit.
    private mutating func unicodeEscape() throws(JSONReader.Malformed) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high) {
            guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u") else {
                throw malformed
            }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
                throw malformed
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw malformed }
        return scalar
    }

    /// Four hex digits after `index`; `index` ends on the last one.
    private mutating func hex4() throws(JSONReader.Malformed) -> UInt32 {
        guard index + 4 < bytes.count else { throw malformed }
        var value: UInt32 = 0
        for _ in 0..<4 {
            index += 1
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw malformed
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
