/// Base32 (RFC 4648 §6), the encoding of TOTP secrets in authenticator apps.
///
/// ```swift
/// Base32.encode(Array("foobar".utf8))      // "MZXW6YTBOI======"
/// Base32.encode(secret, padded: false)     // for otpauth:// URIs
/// try Base32.decode("mzxw 6ytb oi")        // case, spaces and padding tolerated
/// ```
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>, padded: Bool = true) -> String {
        var output: [UInt8] = []
        var buffer: UInt64 = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt64(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int((buffer >> UInt64(bits)) & 0x1F)])
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt64(5 - bits)) & 0x1F)]) }
        if padded { while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) } }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes what people type: letters of either case, spaces and dashes ignored, padding optional.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        var symbols = text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") }
        while symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
        // Lengths 1, 3 and 6 mod 8 cannot come from whole bytes.
        guard ![1, 3, 6].contains(symbols.count % 8) else { throw .malformed("base32") }
        var output: [UInt8] = []
        var buffer: UInt64 = 0, bits = 0
        for symbol in symbols {
            let value: UInt8
            switch symbol {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = symbol - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = symbol - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = symbol - UInt8(ascii: "2") + 26
            default: throw .malformed("base32")
            }
            buffer = buffer << 5 | UInt64(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
            }
        }
        return output
    }
}
