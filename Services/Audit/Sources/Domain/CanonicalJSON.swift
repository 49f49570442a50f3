import MusterContracts
import MusterCore

/// The one JSON form that hashes and signatures are computed over, so that anyone
/// can recompute them from an export (`Tools/verify_export.py` does, in Python):
///
/// - objects: keys sorted by their UTF-8 bytes (= Unicode code points), no duplicate keys;
/// - no white space anywhere;
/// - strings: UTF-8; `"` and `\` escaped with a backslash; `\b \f \n \r \t` as
///   such; other characters below U+0020 as `\u00xx` (lower-case hex); every
///   other character as itself (this is Python's `json.dumps(s, ensure_ascii=False)`);
/// - numbers: integers in plain decimal; other numbers as Swift prints a `Double`
///   (shortest round-trip form). Verifiers copy number text as it stands in the
///   export instead of re-printing it;
/// - `true`, `false`, `null`.
///
/// Callers write object members in sorted key order themselves (the event and
/// checkpoint shapes are fixed); free-form values (`changes`) go through
/// ``value(_:)``, which sorts.
///
/// ```swift
/// var json = CanonicalJSON()
/// json.object { o in o.member("a") { $0.integer(1) }; o.member("b") { $0.string("x") } }
/// json.bytes   // {"a":1,"b":"x"}
/// ```
public struct CanonicalJSON: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func null() { bytes += Self.nullBytes }

    public mutating func bool(_ value: Bool) { bytes += value ? Self.trueBytes : Self.falseBytes }

    public mutating func integer(_ value: Int64) { bytes += Array(String(value).utf8) }

    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            // Runs that need no escaping are copied whole.
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
        case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
        case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        default: bytes += Array("\\u00".utf8) + [Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]]
        }
    }

    /// A string, or `null`.
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// Bytes as a string of lower-case hex digits.
    public mutating func hex(_ value: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value {
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0xF)])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Text that already is canonical JSON (a stored `changes` value).
    public mutating func raw(_ canonical: String) { bytes += Array(canonical.utf8) }

    public mutating func array<Element>(_ elements: [Element], _ write: (inout CanonicalJSON, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object whose members the closure writes in sorted key order.
    public mutating func object(_ members: (inout ObjectWriter) -> Void) {
        var writer = ObjectWriter(json: self)
        bytes = []
        writer.json.bytes.append(UInt8(ascii: "{"))
        members(&writer)
        writer.json.bytes.append(UInt8(ascii: "}"))
        self = writer.json
    }

    /// Any JSON value, objects sorted by key at every depth.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements): array(elements) { $0.value($1) }
        case .object(let members):
            object { writer in
                for key in members.keys.sorted(by: Self.codePointOrder) {
                    writer.member(key) { $0.value(members[key]!) }
                }
            }
        }
    }

    /// Integral values within ±2⁵³ print as integers; others as Swift's shortest round-trip form.
    public mutating func number(_ value: Double) {
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
            integer(Int64(value))
        } else {
            bytes += Array(value.description.utf8)
        }
    }

    /// Writes members of one object; ``member(_:_:)`` inserts the separators.
    public struct ObjectWriter {
        fileprivate var json: CanonicalJSON
        private var count = 0

        fileprivate init(json: CanonicalJSON) { self.json = json }

        public mutating func member(_ key: String, _ write: (inout CanonicalJSON) -> Void) {
            if count > 0 { json.bytes.append(UInt8(ascii: ",")) }
            count += 1
            json.string(key)
            json.bytes.append(UInt8(ascii: ":"))
            write(&json)
        }
    }

    /// UTF-8 byte order, which is Unicode code-point order (Swift's `<` on strings is not).
    public static func codePointOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let nullBytes = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}
