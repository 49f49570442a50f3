import MusterCrypto
import Testing

@Suite struct AESGCMTests {
    @Test func sealsAndOpensWithAssociatedData() throws {
        let key = SymmetricKey()
        for plaintext in [[UInt8](), "x".bytes, [UInt8](repeating: 7, count: 1000)] {
            let box = try AESGCM.seal(plaintext, with: key, aad: "user-1".bytes)
            #expect(box.count == plaintext.count + AESGCM.overhead)
            #expect(box[0] == AESGCM.version)
            #expect(try AESGCM.open(box, with: key, aad: "user-1".bytes) == plaintext)
        }
        // Random nonces: the same plaintext seals differently each time.
        #expect(try AESGCM.seal("same".bytes, with: key) != AESGCM.seal("same".bytes, with: key))
    }

    @Test func refusesEveryTamperingWrongKeyAndWrongAssociatedData() throws {
        let key = SymmetricKey()
        let box = try AESGCM.seal("secret seed".bytes, with: key, aad: "user-1".bytes)
        for index in 1..<box.count {
            var tampered = box
            tampered[index] ^= 0x80
            #expect(throws: CryptoError.authenticationFailed, "byte \(index)") { try AESGCM.open(tampered, with: key, aad: "user-1".bytes) }
        }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, with: SymmetricKey(), aad: "user-1".bytes) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, with: key, aad: "user-2".bytes) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, with: key) }
        var otherVersion = box
        otherVersion[0] = 2
        #expect(throws: CryptoError.malformed("sealed box version")) { try AESGCM.open(otherVersion, with: key, aad: "user-1".bytes) }
        #expect(throws: CryptoError.self) { try AESGCM.open(box.prefix(AESGCM.overhead - 1), with: key, aad: "user-1".bytes) }
        // The key still works after refusals.
        #expect(try AESGCM.open(box, with: key, aad: "user-1".bytes) == "secret seed".bytes)
    }

    /// Python's `cryptography` opens our boxes and seals boxes we open.
    @Test func interoperatesWithPythonCryptography() throws {
        let key = SymmetricKey()
        let box = try AESGCM.seal("from swift".bytes, with: key, aad: "aad".bytes)
        let output = try Oracle.python("""
            import sys, os
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            key, box = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
            assert box[0] == 1
            print(AESGCM(key).decrypt(box[1:13], box[13:], b"aad").decode())
            nonce = os.urandom(12)
            print((b"\\x01" + nonce + AESGCM(key).encrypt(nonce, b"from python", b"ctx")).hex())
            """, Hex.encode(key.rawRepresentation), Hex.encode(box))
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "from swift")
        #expect(try AESGCM.open(hex(lines[1]), with: key, aad: "ctx".bytes) == "from python".bytes)
    }

    @Test func keysMustBe32Bytes() {
        #expect(throws: CryptoError.self) { try SymmetricKey(rawRepresentation: [UInt8](repeating: 1, count: 16)) }
        #expect(SymmetricKey().rawRepresentation.count == 32)
    }
}
