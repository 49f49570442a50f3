/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: every output line
/// is at most 76 characters, so no line of a message comes near SMTP's limit
/// of 998 octets whatever the text holds.
///
/// ```swift
/// QuotedPrintable.encode("Grüße\n")   // "Gr=C3=BC=C3=9Fe\r\n"
/// ```
public enum QuotedPrintable {
    static let maxLineLength = 76

    /// Encodes `text`; its line breaks (LF, CRLF or CR) become CRLF hard breaks.
    public static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for (index, line) in lines(of: text).enumerated() {
            if index > 0 { output += [13, 10] }
            encodeLine(line, into: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var column = 0
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            var literal = switch byte {
            case UInt8(ascii: "="): false
            case 33...126: true
            // Trailing white space may be stripped in transit (RFC 2045 rule 3).
            case UInt8(ascii: " "), UInt8(ascii: "\t"): !isLast
            default: false
            }
            // Keep one column for the `=` of a soft break.
            if column + (literal ? 1 : 3) > maxLineLength - 1 {
                output += [UInt8(ascii: "="), 13, 10]
                column = 0
            }
            // A leading dot would be doubled (or end the message) on a transport that forgets dot-stuffing.
            if column == 0, byte == UInt8(ascii: ".") { literal = false }
            if literal {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
            column += literal ? 1 : 3
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func lines(of text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0, index = 0
        while index < bytes.count {
            switch bytes[index] {
            case 13:
                lines.append(bytes[start..<index])
                index += (index + 1 < bytes.count && bytes[index + 1] == 10) ? 2 : 1
                start = index
            case 10:
                lines.append(bytes[start..<index])
                index += 1
                start = index
            default:
                index += 1
            }
        }
        lines.append(bytes[start..<bytes.count])
        return lines
    }
}
