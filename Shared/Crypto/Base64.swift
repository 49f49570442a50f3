/// Base64 (RFC 4648 §4) and base64url (§5), written out for the token hot path.
///
/// Decoding is strict: characters outside the alphabet, misplaced padding and
/// non-zero leftover bits are refused, so each byte string has exactly one
/// accepted encoding.
///
/// ```swift
/// Base64URL.encode(signature)                 // no padding, as in JWTs
/// try Base64URL.decode("eyJhbGciOiJFZERTQSJ9")
/// Base64.encode(bytes)                        // standard, padded
/// try Base64.decode(text)                     // padding optional
/// ```
public enum Base64 {
    public static func encode(_ bytes: some Sequence<UInt8>, padded: Bool = true) -> String {
        Base64Alphabet.standard.encode(bytes, padded: padded)
    }

    /// Decodes with or without `=` padding.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        try Base64Alphabet.standard.decode(text)
    }
}

/// Base64url without padding (RFC 7515 §2 `BASE64URL`).
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Base64Alphabet.url.encode(bytes, padded: false)
    }

    /// Decodes unpadded base64url; padding is refused, as JWS requires.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        guard !text.utf8.contains(UInt8(ascii: "=")) else { throw .malformed("base64url") }
        return try Base64Alphabet.url.decode(text)
    }
}

struct Base64Alphabet: Sendable {
    static let standard = Base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let url = Base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    private let symbols: [UInt8]
    /// 0xFF marks a byte outside the alphabet.
    private let values: [UInt8]

    private init(_ alphabet: String) {
        symbols = Array(alphabet.utf8)
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, symbol) in symbols.enumerated() { values[Int(symbol)] = UInt8(index) }
        self.values = values
    }

    func encode(_ bytes: some Sequence<UInt8>, padded: Bool) -> String {
        withContiguousBytes(bytes) { input in
            let full = input.count / 3, rest = input.count % 3
            let length = full * 4 + (rest == 0 ? 0 : (padded ? 4 : rest + 1))
            return String(unsafeUninitializedCapacity: length) { output in
                var out = 0
                func emit(_ sextet: UInt32) {
                    output[out] = symbols[Int(sextet & 0x3F)]
                    out += 1
                }
                var index = 0
                for _ in 0..<full {
                    let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                    emit(group >> 18); emit(group >> 12); emit(group >> 6); emit(group)
                    index += 3
                }
                if rest > 0 {
                    let group = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
                    emit(group >> 18); emit(group >> 12)
                    if rest == 2 { emit(group >> 6) }
                    if padded {
                        for _ in rest..<3 {
                            output[out] = UInt8(ascii: "=")
                            out += 1
                        }
                    }
                }
                return out
            }
        }
    }

    func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        var utf8 = Array(text.utf8)
        // Optional padding: strip it, but only as much as the length calls for.
        if utf8.count % 4 == 0, utf8.last == UInt8(ascii: "=") {
            utf8.removeLast()
            if utf8.last == UInt8(ascii: "=") { utf8.removeLast() }
        }
        let rest = utf8.count % 4
        guard rest != 1 else { throw .malformed("base64") }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count * 3 / 4)
        var group: UInt32 = 0
        for (position, symbol) in utf8.enumerated() {
            let value = values[Int(symbol)]
            guard value != 0xFF else { throw .malformed("base64") }
            group = group << 6 | UInt32(value)
            if position % 4 == 3 {
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
                group = 0
            }
        }
        switch rest {
        case 2:
            guard group & 0x0F == 0 else { throw .malformed("base64") }
            output.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            guard group & 0x03 == 0 else { throw .malformed("base64") }
            output.append(UInt8(truncatingIfNeeded: group >> 10))
            output.append(UInt8(truncatingIfNeeded: group >> 2))
        default:
            break
        }
        return output
    }
}
