import Foundation
import MusterCrypto
import Testing

@Suite struct Ed25519Tests {
    /// RFC 8032 §7.1 tests 1–3: (secret key, public key, message, signature).
    @Test(arguments: [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    ])
    func matchesRFC8032(secret: String, publicKey: String, message: String, signature: String) throws {
        let key = try Ed25519.PrivateKey(rawRepresentation: hex(secret))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == publicKey)
        #expect(Hex.encode(key.signature(for: hex(message))) == signature)
        let verifier = try Ed25519.PublicKey(rawRepresentation: hex(publicKey))
        #expect(verifier.isValidSignature(hex(signature), for: hex(message)))
        #expect(!verifier.isValidSignature(hex(signature), for: hex(message) + [0]))
    }

    @Test func refusesTamperedSignaturesAndWrongKeys() {
        let key = Ed25519.PrivateKey(), other = Ed25519.PrivateKey()
        let message = "the quick brown fox".bytes
        var signature = key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!other.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: message))
        signature[10] ^= 0x01
        #expect(!key.publicKey.isValidSignature(signature, for: message))
        // A refusal does not spoil the reused contexts.
        #expect(key.publicKey.isValidSignature(key.signature(for: message), for: message))
    }

    @Test func rawAndPEMRoundTrip() throws {
        let key = Ed25519.PrivateKey()
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(key.publicKey.pemRepresentation.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try Ed25519.PrivateKey(pem: key.pemRepresentation).rawRepresentation == key.rawRepresentation)
        #expect(try Ed25519.PrivateKey(rawRepresentation: key.rawRepresentation).publicKey == key.publicKey)
        #expect(try Ed25519.PublicKey(pem: key.publicKey.pemRepresentation) == key.publicKey)
        #expect(throws: CryptoError.self) { try Ed25519.PrivateKey(rawRepresentation: [1, 2, 3]) }
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
    }

    /// Keys written by `openssl genpkey` load here, and our signatures verify with `openssl pkeyutl`.
    @Test func interoperatesWithOpenSSLCommandLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ed25519-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key.pem").path
        _ = try Oracle.run("openssl", ["genpkey", "-algorithm", "ed25519", "-out", keyPath])
        let key = try Ed25519.PrivateKey(pem: String(contentsOfFile: keyPath, encoding: .utf8))
        let publicPEM = try Oracle.run("openssl", ["pkey", "-in", keyPath, "-pubout"])
        #expect(try Ed25519.PublicKey(pem: publicPEM) == key.publicKey)

        let message = "signed by Muster".bytes
        let messagePath = directory.appendingPathComponent("message").path
        let signaturePath = directory.appendingPathComponent("signature").path
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        try Data(key.signature(for: message)).write(to: URL(fileURLWithPath: signaturePath))
        let verdict = try Oracle.run("openssl", ["pkeyutl", "-verify", "-rawin", "-inkey", keyPath, "-in", messagePath, "-sigfile", signaturePath])
        #expect(verdict.contains("Signature Verified Successfully"))
    }

    @Test func concurrentVerificationSharesOneKey() async {
        let key = Ed25519.PrivateKey()
        let messages = (0..<64).map { "message \($0)".bytes }
        let signatures = messages.map { key.signature(for: $0) }
        let publicKey = key.publicKey
        let results = await withTaskGroup(of: Bool.self) { group in
            for (message, signature) in zip(messages, signatures) {
                group.addTask { publicKey.isValidSignature(signature, for: message) && !publicKey.isValidSignature(signature, for: message + [1]) }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
