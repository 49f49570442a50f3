import MusterDatabase

/// A `text[]` parameter whose elements may be NULL (`{"a",NULL,"b"}`), for
/// inserting many rows with one `unnest`. Cast in SQL to the column's type
/// (`$1::uuid[]`); a nested array travels as its own array literal (``literal(_:)``).
struct NullableTextArray: SQLBindable {
    let elements: [String?]

    init(_ elements: [String?]) { self.elements = elements }

    static var sqlType: SQLType { .textArray }

    var sqlValue: SQLValue? {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(elements.count * 40)
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard let element else {
                out += Array("NULL".utf8)
                continue
            }
            Self.appendQuoted(element, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return SQLValue(bytes: out, format: .text)
    }

    /// The array literal of `elements`, every element quoted.
    static func literal(_ elements: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(element, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendQuoted(_ element: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in element.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A `bytea[]` parameter in PostgreSQL's binary array format (hashes travel as
/// their 32 bytes, not as hex text to be decoded again).
struct ByteaArray: SQLBindable {
    let elements: [[UInt8]]

    init(_ elements: [[UInt8]]) { self.elements = elements }

    static var sqlType: SQLType { SQLType(oid: 1001) }

    var sqlValue: SQLValue? {
        var out: [UInt8] = []
        out.reserveCapacity(20 + elements.reduce(0) { $0 + 4 + $1.count })
        func int32(_ value: Int) { withUnsafeBytes(of: Int32(value).bigEndian) { out += $0 } }
        int32(1)                       // dimensions
        int32(0)                       // no NULLs
        int32(Int(SQLType.bytea.oid))  // element type
        int32(elements.count)          // length of the dimension
        int32(1)                       // lower bound
        for element in elements {
            int32(element.count)
            out += element
        }
        return SQLValue(bytes: out, format: .binary)
    }
}
