/// Writes RFC 4180 CSV for people and spreadsheets: fields with a comma, a quote
/// or a line break are quoted (quotes doubled), records end with `\r\n`, and a
/// value a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
/// a tab or a CR — OWASP's CSV injection list) is prefixed with `'`.
///
/// ```swift
/// var csv = CSVWriter()
/// csv.write(["badge_number", "note"])
/// csv.write(["B-1041", "=HYPERLINK(\"x\")"])   // B-1041,"'=HYPERLINK(""x"")"
/// body.append(csv.take())                       // send what is written so far
/// ```
/// `nil` fields are written empty. Writing appends to `bytes`; `take()` hands them
/// over and starts afresh, so a streamed export holds one page at a time.
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ fields: some Sequence<String?>) {
        Self.appendRecord(fields, to: &bytes)
    }

    public mutating func write(_ fields: [String]) {
        write(fields.lazy.map(Optional.some))
    }

    /// What was written since the last `take()`.
    public mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// Appends one record (its fields and `\r\n`) to `out`.
    public static func appendRecord(_ fields: some Sequence<String?>, to out: inout [UInt8]) {
        var first = true
        for field in fields {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            if let field { append(field, to: &out) }
        }
        out.append(UInt8(ascii: "\r"))
        out.append(UInt8(ascii: "\n"))
    }

    /// Appends one field, neutralized and quoted as needed.
    public static func append(_ value: String, to out: inout [UInt8]) {
        value.withUTF8Bytes { utf8 in
            guard let first = utf8.first else { return }
            let formula = first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@") || first == UInt8(ascii: "\t") || first == UInt8(ascii: "\r")
            let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            if needsQuotes { out.append(UInt8(ascii: "\"")) }
            if formula { out.append(UInt8(ascii: "'")) }
            if needsQuotes {
                for byte in utf8 {
                    out.append(byte)
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: utf8)
            }
        }
    }
}
