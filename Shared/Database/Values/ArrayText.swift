/// One-dimensional arrays in PostgreSQL's text format: `{"a","b c",NULL}`.
enum ArrayText {
    /// Every element quoted, so that commas, braces, spaces and the word
    /// `NULL` inside a value stay data.
    static func encode(_ elements: [String]) -> SQLValue {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (position, element) in elements.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return SQLValue(bytes: out, format: .text)
    }

    static func decode<Element: SQLDecodable>(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [Element] {
        let invalid = RowDecodingError(type: [Element].self, reason: "not a one-dimensional array")
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { throw invalid }
        var elements: [Element] = []
        var index = 1
        let end = bytes.count - 1
        if index == end { return elements }
        var text: [UInt8] = []
        while index <= end {
            text.removeAll(keepingCapacity: true)
            var quoted = false
            if bytes[index] == UInt8(ascii: "\"") {
                quoted = true
                index += 1
                while index < end, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    text.append(bytes[index])
                    index += 1
                }
                guard index < end else { throw invalid }
                index += 1
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    guard bytes[index] != UInt8(ascii: "{") else { throw invalid }
                    text.append(bytes[index])
                    index += 1
                }
            }
            guard index == end || bytes[index] == UInt8(ascii: ",") else { throw invalid }
            index += 1
            if !quoted, text.elementsEqual("NULL".utf8) {
                elements.append(try Element.decodeNull())
            } else {
                elements.append(try text.withUnsafeBufferPointer { try Element.decode(sqlText: $0) })
            }
        }
        return elements
    }
}
