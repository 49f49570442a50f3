/// Reads RFC 4180 CSV from UTF-8 bytes, one record at a time, without making a
/// `String` of the file or a list of its rows: a 50,000-row import holds the
/// body's bytes and one record.
///
/// ```swift
/// var reader = CSVReader(request.body)
/// let header = try reader.next()            // ["badge_number", "course_code", …]
/// while let fields = try reader.next() {
///     print(reader.row, fields)              // 2 ["B-1041", "FA-QUAL", …]
/// }
/// ```
/// A leading byte order mark is skipped; records end with `\r\n`, `\n` or `\r`;
/// a quoted field may hold commas, line breaks and doubled quotes. A quote inside
/// an unquoted field, text after a closing quote, a quote left open and bytes that
/// are not UTF-8 are errors naming the record's row. Blank lines are skipped (they
/// still count as rows, as a spreadsheet shows them).
public struct CSVReader: Sendable {
    private let bytes: [UInt8]
    private var position: Int
    /// The row of the record `next()` returned last: the first record is row 1.
    public private(set) var row = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record's fields, or `nil` at the end of the file.
    public mutating func next() throws(CSVError) -> [String]? {
        while position < bytes.count {
            row += 1
            let row = row
            let (fields, end) = try bytes.withUnsafeBufferPointer { buffer throws(CSVError) in
                try Self.record(in: buffer, from: position, row: row)
            }
            position = end
            if let fields { return fields }
        }
        return nil
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// Reads the record at `start`: its fields (`nil` for a blank line) and where the next one starts.
    private static func record(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, row: Int) throws(CSVError) -> ([String]?, Int) {
        var fields: [String] = [], quoted: [UInt8] = []
        var index = start, anyQuoted = false
        while true {
            if index < buffer.count, buffer[index] == quote {
                anyQuoted = true
                quoted.removeAll(keepingCapacity: true)
                index += 1
                while true {
                    guard index < buffer.count else { throw CSVError(row: row, message: "A quoted field is not closed.") }
                    let byte = buffer[index]
                    index += 1
                    if byte == quote {
                        guard index < buffer.count, buffer[index] == quote else { break }
                        index += 1
                    }
                    quoted.append(byte)
                }
                fields.append(try text(quoted[...], row: row))
            } else {
                let fieldStart = index
                while index < buffer.count {
                    let byte = buffer[index]
                    if byte == comma || byte == cr || byte == lf { break }
                    if byte == quote { throw CSVError(row: row, message: "A quote inside an unquoted field (quote the whole field and double the quote).") }
                    index += 1
                }
                fields.append(try text(buffer[fieldStart..<index], row: row))
            }
            guard index < buffer.count else { break }
            switch buffer[index] {
            case comma:
                index += 1
                continue
            case cr:
                index += index + 1 < buffer.count && buffer[index + 1] == lf ? 2 : 1
            case lf:
                index += 1
            default:
                throw CSVError(row: row, message: "Text after a closing quote (quote the whole field and double the quote).")
            }
            break
        }
        let blank = !anyQuoted && fields.count == 1 && fields[0].isEmpty
        return (blank ? nil : fields, index)
    }

    private static func text(_ bytes: some Collection<UInt8>, row: Int) throws(CSVError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CSVError(row: row, message: "Not valid UTF-8.") }
        return text
    }
}
