@testable import MusterHTTP
import Testing

/// The word-at-a-time check of field values against the plain byte-by-byte rule.
@Suite struct FieldValueScanTests {
    @Test func agreesWithTheByteRuleEverywhere() {
        var generator = SystemRandomNumberGenerator()
        // Every byte value at every offset of a word, and lengths around word boundaries.
        for length in [1, 7, 8, 9, 15, 16, 17, 40] {
            for position in 0..<length {
                for bad in UInt8.min...UInt8.max {
                    var bytes = (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
                    bytes[position] = bad
                    let expected = bytes.allSatisfy(FieldLine.isValueByte)
                    let start = Int.random(in: 0..<min(3, length), using: &generator)
                    bytes.withUnsafeBufferPointer { buffer in
                        #expect(FieldLine.areValueBytes(buffer, start..<length) == bytes[start...].allSatisfy(FieldLine.isValueByte))
                        #expect(FieldLine.areValueBytes(buffer, 0..<length) == expected)
                    }
                }
            }
        }
    }
}
