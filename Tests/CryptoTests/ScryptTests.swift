import Foundation
import MusterCore
import MusterCrypto
import Testing

@Suite struct ScryptTests {
    /// RFC 7914 §12 vectors 1–3 (vector 4 needs 1 GiB and is left out).
    @Test(arguments: [
        ("", "", 4, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
        ("password", "NaCl", 10, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        ("pleaseletmein", "SodiumChloride", 14, 8, 1, "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
    ])
    func matchesRFC7914(password: String, salt: String, logN: Int, r: Int, p: Int, expected: String) throws {
        let key = try Scrypt.derive(password: password.bytes, salt: salt.bytes, parameters: ScryptParameters(logN: logN, r: r, p: p), length: 64)
        #expect(Hex.encode(key) == expected)
    }

    @Test func refusesAbsurdParameters() {
        #expect(throws: CryptoError.self) {
            try Scrypt.derive(password: "x".bytes, salt: "y".bytes, parameters: ScryptParameters(logN: 30, r: 8, p: 1), length: 32)
        }
        #expect(ScryptParameters.current.memoryBytes > 128 << 20)
    }
}

@Suite struct PasswordHasherTests {
    static let pool = BlockingPool(name: "scrypt-test", threads: 2)
    /// Cheap parameters keep the suite fast; one test uses today's real ones.
    static let fast = PasswordHasher(parameters: ScryptParameters(logN: 10, r: 8, p: 1), pool: pool)

    @Test func hashesInTheStoredFormatAndVerifies() async throws {
        let stored = try await Self.fast.hash("correct horse battery staple")
        #expect(stored.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(stored.split(separator: "$").count == 4)
        #expect(try await Self.fast.verify("correct horse battery staple", against: stored) == .valid)
        #expect(try await Self.fast.verify("correct horse battery stapler", against: stored) == .invalid)
        #expect(try await Self.fast.hash("correct horse battery staple") != stored)
    }

    @Test func todaysParametersAreRealAndCrossCheckWithPythonHashlib() async throws {
        let hasher = PasswordHasher(pool: Self.pool)
        let stored = try await hasher.hash("Tr0ub4dor&3 but longer")
        #expect(stored.hasPrefix("$scrypt$ln=17,r=8,p=1$"))
        let parts = stored.split(separator: "$")
        let verdict = try Oracle.python("""
            import sys, base64, hashlib
            pad = lambda s: s + "=" * (-len(s) % 4)
            salt, expected = base64.b64decode(pad(sys.argv[2])), base64.b64decode(pad(sys.argv[3]))
            derived = hashlib.scrypt(sys.argv[1].encode(), salt=salt, n=2**17, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=len(expected))
            print("match" if derived == expected else "mismatch")
            """, "Tr0ub4dor&3 but longer", String(parts[2]), String(parts[3]))
        #expect(verdict == "match")
    }

    @Test func weakerStoredParametersAskForARehash() async throws {
        let old = PasswordHasher(parameters: ScryptParameters(logN: 8, r: 8, p: 1), pool: Self.pool)
        let stored = try await old.hash("a long enough passphrase")
        #expect(try await Self.fast.verify("a long enough passphrase", against: stored) == .validNeedsRehash)
        #expect(try await Self.fast.verify("wrong passphrase here", against: stored) == .invalid)
        #expect(try await old.verify("a long enough passphrase", against: try await Self.fast.hash("a long enough passphrase")) == .valid)
    }

    @Test func normalisesToNFKC() async throws {
        // U+FB01 LATIN SMALL LIGATURE FI and a decomposed é match their NFKC forms.
        let stored = try await Self.fast.hash("\u{FB01}ne caf\u{0065}\u{0301} passphrase")
        #expect(try await Self.fast.verify("fine caf\u{00E9} passphrase", against: stored) == .valid)
    }

    @Test func dummyVerifyIsInvalidAndMalformedHashesThrow() async throws {
        #expect(try await Self.fast.dummyVerify("anything at all") == .invalid)
        for bad in ["", "$scrypt$ln=10,r=8$c2FsdA$aGFzaA", "$bcrypt$ln=10,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
                    "$scrypt$ln=40,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA", "$scrypt$ln=10,r=8,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA"] {
            await #expect(throws: CryptoError.self, "\(bad)") { try await Self.fast.verify("password", against: bad) }
        }
    }
}
