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
        try Base64Alphabet.standard.decode(text, allowPadding: true)
    }
}

/// Base64url without padding (RFC 7515 §2 `BASE64URL`).
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Base64Alphabet.url.encode(bytes, padded: false)
    }

    /// Decodes unpadded base64url; padding is refused, as JWS requires.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        try Base64Alphabet.url.decode(text, allowPadding: false)
    }

    /// Decodes base64url text given as UTF-8 bytes (a part of a token, without copying it first).
    public static func decode(utf8: UnsafeBufferPointer<UInt8>) throws(CryptoError) -> [UInt8] {
        try Base64Alphabet.url.decode(utf8, allowPadding: false)
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

    func decode(_ text: some StringProtocol, allowPadding: Bool) throws(CryptoError) -> [UInt8] {
        // One copy into a native string, then a loop over its contiguous UTF-8:
        // iterating a generic StringProtocol from another module goes through witnesses per byte.
        var text = String(text)
        return try text.withUTF8 { utf8 in Result { () throws(CryptoError) in try decode(utf8, allowPadding: allowPadding) } }.get()
    }

    func decode(_ input: UnsafeBufferPointer<UInt8>, allowPadding: Bool) throws(CryptoError) -> [UInt8] {
        var count = input.count
        // Optional padding: strip it, but only as much as the length calls for.
        if allowPadding, count % 4 == 0, count > 0, input[count - 1] == UInt8(ascii: "=") {
            count -= input[count - 2] == UInt8(ascii: "=") ? 2 : 1
        }
        let rest = count % 4
        guard rest != 1 else { throw .malformed("base64") }
        return try values.withUnsafeBufferPointer { values throws(CryptoError) in
            try makeBytes(count: count / 4 * 3 + max(0, rest - 1)) { output throws(CryptoError) in
                // A symbol outside the alphabet maps to 0xFF, whose top bits no sextet has.
                var invalid: UInt8 = 0
                func sextets(_ start: Int, _ length: Int) -> UInt32 {
                    var group: UInt32 = 0
                    for index in start..<start + length {
                        let value = values[Int(input[index])]
                        invalid |= value
                        group = group << 6 | UInt32(value & 0x3F)
                    }
                    return group
                }
                var written = 0
                var index = 0
                while index + 4 <= count {
                    let group = sextets(index, 4)
                    output[written] = UInt8(truncatingIfNeeded: group >> 16)
                    output[written + 1] = UInt8(truncatingIfNeeded: group >> 8)
                    output[written + 2] = UInt8(truncatingIfNeeded: group)
                    written += 3
                    index += 4
                }
                if rest > 0 {
                    // The leftover bits must be zero, so that each byte string has one encoding.
                    let group = sextets(index, rest) << (6 * UInt32(4 - rest))
                    guard group & (rest == 2 ? 0xFFFF : 0xFF) == 0 else { throw .malformed("base64") }
                    output[written] = UInt8(truncatingIfNeeded: group >> 16)
                    if rest == 3 { output[written + 1] = UInt8(truncatingIfNeeded: group >> 8) }
                    written += rest - 1
                }
                guard invalid & 0xC0 == 0 else { throw .malformed("base64") }
                return written
            }
        }
    }
}
