import MusterHTTP

/// Builds the status and headers of the final response from the header lines
/// libcurl hands over one at a time (status line, fields, blank line).
///
/// Interim `1xx` responses are discarded; fields after the final head (chunked
/// trailers) are ignored.
struct ResponseHeadParser {
    private(set) var status = HTTPStatus(0)
    private(set) var headers = HTTPHeaders()
    private(set) var isComplete = false

    /// Consumes one line (with its CRLF); returns `true` when it completed the head.
    mutating func consume(_ line: UnsafeRawBufferPointer) -> Bool {
        guard !isComplete else { return false }
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\n") || line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let text = line[..<end]
        if text.isEmpty {
            isComplete = status.rawValue >= 200
            return isComplete
        }
        if text.starts(with: "HTTP/".utf8) {
            status = HTTPStatus(Self.statusCode(in: text))
            headers = HTTPHeaders()
        } else if let colon = text.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: text[..<colon], as: UTF8.self)
            let value = Self.trimmed(text[(colon + 1)...])
            headers.add(name, String(decoding: value, as: UTF8.self))
        }
        return false
    }

    /// `HTTP/1.1 204 No Content` → 204; a malformed line gives 0, which no caller mistakes for success.
    private static func statusCode(in line: Slice<UnsafeRawBufferPointer>) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        let digits = line[(space + 1)...].prefix(while: { $0 != UInt8(ascii: " ") })
        guard digits.count == 3, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return 0 }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return bytes[bytes.endIndex...] }
        let last = bytes.lastIndex(where: { !isSpace($0) })!
        return bytes[first...last]
    }
}
