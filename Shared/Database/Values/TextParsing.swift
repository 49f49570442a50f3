/// Parsers for PostgreSQL's text output of integers and `bytea`, written over
/// raw bytes because they run once per decoded column.
enum TextParsing {
    static func integer<T: FixedWidthInteger & SignedInteger>(_ bytes: UnsafeBufferPointer<UInt8>) throws -> T {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { throw RowDecodingError(type: T.self, reason: "not an integer") }
        var value: T = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw RowDecodingError(type: T.self, reason: "not an integer") }
            // Accumulate negatively so that T.min parses without overflowing.
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(T(digit))
            guard !overflow1, !overflow2 else { throw RowDecodingError(type: T.self, reason: "out of range") }
            value = next
            index += 1
        }
        if negative { return value }
        guard value != T.min else { throw RowDecodingError(type: T.self, reason: "out of range") }
        return -value
    }

    /// `bytea` in the `hex` output format (`\x0a1b…`), PostgreSQL's default.
    static func bytea(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            throw RowDecodingError(type: [UInt8].self, reason: "bytea is not in hex format (set bytea_output = 'hex')")
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count / 2 - 1)
        var index = 2
        while index < bytes.count {
            guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else {
                throw RowDecodingError(type: [UInt8].self, reason: "invalid hex digit in bytea")
            }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// PostgreSQL writes bytea hex digits in lower case only.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        if byte &- UInt8(ascii: "0") < 10 { return byte &- UInt8(ascii: "0") }
        if byte &- UInt8(ascii: "a") < 6 { return byte &- UInt8(ascii: "a") + 10 }
        return nil
    }
}
