import MusterCrypto

/// A JSON value (RFC 8259), parsed by hand for the token hot path: a header and
/// claims decode in about a microsecond, where `JSONDecoder` takes ten, which
/// would cost a tenth of an Ed25519 verification.
///
/// Strict: no trailing commas, comments or duplicate member names (RFC 7515
/// §5.2 lets JWS parsers refuse them), invalid UTF-8 and unescaped control
/// characters refused, nesting at most 16 deep, at most 64 members an object.
/// Objects are read as member lists: for a dozen short names a linear scan
/// beats hashing, and the member limit bounds the scan.
enum JSONValue: Equatable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    // Not `indirect`: arrays and dictionaries already keep their elements on the heap.
    case array([JSONValue])
    case object([String: JSONValue])

    /// The members of the object that `bytes` holds, in order, or `.malformed`.
    static func parseObject(_ bytes: [UInt8]) throws(TokenError) -> [(name: String, value: JSONValue)] {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") else { throw .malformed }
        let members = try parser.members(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw .malformed }
        return members
    }
}

private struct Parser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func value(depth: Int) throws(TokenError) -> JSONValue {
        guard depth < 16 else { throw .malformed }
        skipWhitespace()
        guard index < bytes.count else { throw .malformed }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(Dictionary(uniqueKeysWithValues: try members(depth: depth)))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(TokenError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw .malformed }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// An object's members; the opening brace is next.
    mutating func members(depth: Int) throws(TokenError) -> [(name: String, value: JSONValue)] {
        index += 1
        var members: [(name: String, value: JSONValue)] = []
        if consume(UInt8(ascii: "}")) { return members }
        members.reserveCapacity(16)
        repeat {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), members.count < 64 else { throw .malformed }
            let name = try string()
            guard !members.contains(where: { $0.name == name }) else { throw .malformed }
            try expect(UInt8(ascii: ":"))
            members.append((name, try value(depth: depth + 1)))
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
        return members
    }

    private mutating func array(depth: Int) throws(TokenError) -> [JSONValue] {
        index += 1
        var elements: [JSONValue] = []
        if consume(UInt8(ascii: "]")) { return elements }
        repeat { elements.append(try value(depth: depth + 1)) } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
        return elements
    }

    private mutating func literal(_ word: StaticString) throws(TokenError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              word.withUTF8Buffer({ bytes[index..<index + count].elementsEqual($0) }) else { throw .malformed }
        index += count
    }

    private mutating func string() throws(TokenError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string;
        // all-ASCII text (the usual case) needs no UTF-8 validation either.
        var ascii = true
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw .malformed }
            ascii = ascii && bytes[index] < 0x80
            index += 1
        }
        guard index < bytes.count else { throw .malformed }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            let text = bytes.withUnsafeBufferPointer { buffer -> String? in
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<index - 1])
                return ascii ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
            }
            guard let text else { throw .malformed }
            return text
        }
        var utf8 = Array(bytes[start..<index])
        while bytes[index] == UInt8(ascii: "\\") {
            index += 1
            guard index < bytes.count else { throw .malformed }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape())
            default: throw .malformed
            }
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw .malformed }
                utf8.append(bytes[index])
                index += 1
            }
            guard index < bytes.count else { throw .malformed }
        }
        index += 1
        guard let text = String(validating: utf8, as: UTF8.self) else { throw .malformed }
        return text
    }

    /// The UTF-8 of a `\uXXXX` escape (the `\u` already consumed), joining surrogate pairs.
    private mutating func unicodeEscape() throws(TokenError) -> [UInt8] {
        var scalar = try hexQuad()
        if (0xD800..<0xDC00).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { throw .malformed }
            index += 2
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw .malformed }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw .malformed }
        return Array(String(Character(unicode)).utf8)
    }

    private mutating func hexQuad() throws(TokenError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .malformed }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = Hex.nibble(byte) else { throw .malformed }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`; integral text that fits is an `.integer`.
    private mutating func number() throws(TokenError) -> JSONValue {
        let start = index
        _ = skip(UInt8(ascii: "-"))
        guard index < bytes.count else { throw .malformed }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits() == 0 { throw .malformed }
        var integral = true
        if skip(UInt8(ascii: ".")) {
            integral = false
            guard digits() > 0 else { throw .malformed }
        }
        if skip(UInt8(ascii: "e")) || skip(UInt8(ascii: "E")) {
            integral = false
            _ = skip(UInt8(ascii: "+")) || skip(UInt8(ascii: "-"))
            guard digits() > 0 else { throw .malformed }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let value = Int(text) { return .integer(value) }
        guard let value = Double(text) else { throw .malformed }
        return .number(value)
    }

    private mutating func skip(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }
}
