/// Lower-case hexadecimal.
///
/// ```swift
/// Hex.encode([0xde, 0xad])        // "dead"
/// try Hex.decode("DEAD")          // [0xde, 0xad]; either case accepted
/// ```
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        withContiguousBytes(bytes) { input in
            String(unsafeUninitializedCapacity: input.count * 2) { output in
                for (index, byte) in input.enumerated() {
                    output[index * 2] = digits[Int(byte >> 4)]
                    output[index * 2 + 1] = digits[Int(byte & 0x0F)]
                }
                return input.count * 2
            }
        }
    }

    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { throw .malformed("hex") }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { throw .malformed("hex") }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    /// The value of one hex digit's ASCII byte (either case), or `nil`.
    @inlinable
    public static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
