import MusterCrypto
import Testing

@Suite struct EncodingTests {
    /// RFC 4648 §10.
    static let vectors = [("", "", ""), ("f", "Zg==", "MY======"), ("fo", "Zm8=", "MZXQ===="), ("foo", "Zm9v", "MZXW6==="),
                          ("foob", "Zm9vYg==", "MZXW6YQ="), ("fooba", "Zm9vYmE=", "MZXW6YTB"), ("foobar", "Zm9vYmFy", "MZXW6YTBOI======")]

    @Test func base64AndBase32MatchRFC4648() throws {
        for (plain, base64, base32) in Self.vectors {
            #expect(Base64.encode(plain.bytes) == base64)
            #expect(try Base64.decode(base64) == plain.bytes)
            #expect(try Base64.decode(base64.filter { $0 != "=" }) == plain.bytes)
            #expect(Base32.encode(plain.bytes) == base32)
            #expect(try Base32.decode(base32) == plain.bytes)
            #expect(try Base32.decode(base32.lowercased().filter { $0 != "=" }) == plain.bytes)
        }
    }

    @Test func base64URLUsesItsAlphabetWithoutPadding() throws {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf, 0x01]
        #expect(Base64URL.encode(bytes) == "-_-_AQ")
        #expect(Base64.encode(bytes) == "+/+/AQ==")
        #expect(try Base64URL.decode("-_-_AQ") == bytes)
        #expect(throws: CryptoError.self) { try Base64URL.decode("-_-_AQ==") }
        #expect(throws: CryptoError.self) { try Base64URL.decode("+/+/AQ") }
    }

    @Test func decodersRefuseMalformedInput() {
        for bad in ["Zg=", "Z", "Zh==", "Zm9v!", "Zm=9"] {
            #expect(throws: CryptoError.self, "\(bad)") { try Base64.decode(bad) }
        }
        for bad in ["M", "MZX", "MZXW6Y", "MZ1W"] {
            #expect(throws: CryptoError.self, "\(bad)") { try Base32.decode(bad) }
        }
        #expect(throws: CryptoError.self) { try Hex.decode("abc") }
        #expect(throws: CryptoError.self) { try Hex.decode("zz") }
    }

    @Test func randomBytesRoundTripThroughEveryEncoding() throws {
        for count in 0..<40 {
            let bytes = SecureRandom.bytes(count)
            #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
            #expect(try Base32.decode(Base32.encode(bytes, padded: false)) == bytes)
            #expect(try Hex.decode(Hex.encode(bytes).uppercased()) == bytes)
        }
        #expect(Hex.encode([0xde, 0xad, 0x01]) == "dead01")
    }
}
