import MusterCrypto
import Testing

@Suite struct DigestTests {
    @Test func sha256MatchesFIPS180Vectors() {
        #expect(Hex.encode(SHA256.hash("abc".bytes)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode(SHA256.hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".bytes))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// The allocation-free words are the same digest, read big-endian eight bytes at a time.
    @Test func sha256WordsMatchTheFIPS180Vectors() {
        let vectors = [("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                       ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                       ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
        for (input, expected) in vectors {
            let words = input.bytes.withUnsafeBytes { SHA256.words($0) }
            let hex = [words.0, words.1, words.2, words.3].map { word in
                let text = String(word, radix: 16)
                return String(repeating: "0", count: 16 - text.count) + text
            }.joined()
            #expect(hex == expected)
        }
    }

    @Test func sha1MatchesFIPS180Vector() {
        #expect(Hex.encode(SHA1.hash("abc".bytes)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func incrementalContextIsReusableAndMatchesOneShot() {
        var context = SHA256.context()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { context.update(chunk) }
        #expect(Hex.encode(context.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // After finalize the context starts afresh.
        context.update("ab".bytes)
        context.update("c".utf8)
        #expect(context.finalize() == SHA256.hash("abc".bytes))
    }

    /// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (HMAC-SHA-256).
    @Test(arguments: [
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", Hex.encode("Hi There".bytes),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Hex.encode("Jefe".bytes), Hex.encode("what do ya want for nothing?".bytes),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (String(repeating: "aa", count: 131), Hex.encode("Test Using Larger Than Block-Size Key - Hash Key First".bytes),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         Hex.encode("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".bytes),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func hmacSHA256MatchesRFC4231(key: String, message: String, expected: String) {
        #expect(Hex.encode(HMAC.authenticationCode(for: hex(message), key: hex(key), algorithm: .sha256)) == expected)
    }

    /// RFC 2202 test cases 1 and 2 (HMAC-SHA-1).
    @Test func hmacSHA1MatchesRFC2202() {
        #expect(Hex.encode(HMAC.authenticationCode(for: "Hi There".bytes, key: [UInt8](repeating: 0x0b, count: 20), algorithm: .sha1))
            == "b617318655057264e28bc0b6fb378c8ef146be00")
        #expect(Hex.encode(HMAC.authenticationCode(for: "what do ya want for nothing?".bytes, key: "Jefe".bytes, algorithm: .sha1))
            == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test func hmacContextKeepsItsKeyAcrossMessages() {
        var context = HMACContext(key: "Jefe".bytes, algorithm: .sha256)
        context.update("what do ya ".bytes)
        context.update("want for nothing?".bytes)
        let first = context.finalize()
        context.update("what do ya want for nothing?".bytes)
        #expect(context.finalize() == first)
        #expect(Hex.encode(first) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(HMAC.authenticationCode(for: "x".bytes, key: [], algorithm: .sha256).count == 32)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        #expect(SecureRandom.bytes(7).count == 7)
    }
}
