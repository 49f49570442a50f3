/// RFC 9112 field-line syntax, shared by the header block and chunked trailers:
/// `token ":" OWS value OWS`, with no obsolete line folding, no whitespace
/// before the colon, and no control character in the value.
package enum FieldLine {
    package struct Parts {
        package let name: Range<Int>
        package let value: Range<Int>
    }

    /// Splits one line (CRLF excluded) into name and trimmed value, or `nil` when malformed.
    package static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Parts? {
        var colon = 0
        while colon < line.count, HTTPHeaders.isTokenByte(line[colon]) { colon += 1 }
        // An empty name, a name ending in whitespace (which also catches obs-fold,
        // a line that starts with SP/HTAB) or no colon at all: all malformed.
        guard colon > 0, colon < line.count, line[colon] == UInt8(ascii: ":") else { return nil }
        var start = colon + 1
        var end = line.count
        while start < end, isWhitespace(line[start]) { start += 1 }
        while end > start, isWhitespace(line[end - 1]) { end -= 1 }
        guard areValueBytes(line, start..<end) else { return nil }
        return Parts(name: 0..<colon, value: start..<end)
    }

    /// Whether every byte of `range` may stand in a field value. Eight bytes at a
    /// time while none is a control character or DEL (tokens make values of
    /// hundreds of bytes); a word that has one is looked at byte by byte (HTAB is allowed).
    package static func areValueBytes(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = range.lowerBound
        if let base = line.baseAddress {
            while index + 8 <= range.upperBound {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                // Any byte below 0x20, and any byte equal to 0x7F (exact tests, see "Bit Twiddling Hacks").
                let below = (word &- ones &* 0x20) & ~word & highs
                let deleted = word ^ (ones &* 0x7F)
                let del = (deleted &- ones) & ~deleted & highs
                if below | del != 0 {
                    for offset in index..<(index + 8) where !isValueByte(line[offset]) { return false }
                }
                index += 8
            }
        }
        for offset in index..<range.upperBound where !isValueByte(line[offset]) { return false }
        return true
    }

    @inline(__always)
    package static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// Visible ASCII, SP, HTAB and obs-text; never a control character or DEL.
    @inline(__always)
    package static func isValueByte(_ byte: UInt8) -> Bool { byte == 0x09 || (byte >= 0x20 && byte != 0x7F) }

    /// ASCII case-insensitive comparison of `bytes` with a lowercase literal.
    @inline(__always)
    package static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, lowercase name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] | 0x20 != expected[offset] | 0x20 {
            return false
        }
        return true
    }

    /// A response's `Content-Length`: `1*DIGIT`, at most 15 of them (a list or
    /// anything else is no length).
    package static func length(_ value: String) -> Int? {
        guard !value.isEmpty, value.utf8.count < 16, value.utf8.allSatisfy(isDigit) else { return nil }
        return Int(value)
    }

    /// Comma-separated list members with surrounding whitespace trimmed.
    package static func listMembers(_ value: String, keepingEmpty: Bool) -> [Substring] {
        value.split(separator: ",", omittingEmptySubsequences: false).compactMap { member in
            var member = member
            while let first = member.first, first == " " || first == "\t" { member.removeFirst() }
            while let last = member.last, last == " " || last == "\t" { member.removeLast() }
            return member.isEmpty && !keepingEmpty ? nil : member
        }
    }
}
