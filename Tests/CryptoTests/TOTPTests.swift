import MusterCore
import MusterCrypto
import Testing

@Suite struct TOTPTests {
    static let rfcSecret = Array("12345678901234567890".utf8)

    /// RFC 6238 Appendix B, SHA-1 rows (8 digits).
    @Test(arguments: [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
                      (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")])
    func matchesRFC6238(time: Int, code: String) {
        let totp = TOTP(secret: Self.rfcSecret, digits: 8)
        #expect(totp.code(at: time) == code)
        #expect(totp.verify(code, at: time) == totp.step(at: time))
    }

    @Test func agreesWithOathtool() throws {
        let secret = TOTP.generateSecret()
        #expect(secret.count == 20)
        let totp = TOTP(secret: secret)
        let time = 1_700_000_000 + Int.random(in: 0..<10_000_000)
        let expected = try Oracle.run("oathtool", ["--totp", "-b", "--now", "@\(time)", Base32.encode(secret, padded: false)])
        #expect(totp.code(at: time) == expected)
    }

    @Test func agreesWithPyotpIncludingTheProvisioningURI() throws {
        let totp = TOTP(secret: TOTP.generateSecret())
        let time = 1_750_000_000 + Int.random(in: 0..<10_000_000)
        let uri = totp.provisioningURI(agency: "Metro PD", email: "jane.doe+mfa@metro.example")
        #expect(uri.hasPrefix("otpauth://totp/Muster:Metro%20PD%3Ajane.doe%2Bmfa%40metro.example?secret="))
        #expect(uri.hasSuffix("&issuer=Muster&algorithm=SHA1&digits=6&period=30"))
        let output = try Oracle.python("""
            import sys, pyotp
            otp = pyotp.parse_uri(sys.argv[1])
            print(otp.issuer); print(otp.name); print(otp.at(int(sys.argv[2])))
            """, uri, String(time))
        #expect(output.split(separator: "\n").map(String.init) == ["Muster", "Metro PD:jane.doe+mfa@metro.example", totp.code(at: time)])
    }

    @Test func acceptsOneStepEitherSideAndReturnsTheStepForReplayRefusal() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = 1_800_000_015
        let step = totp.step(at: now)
        #expect(totp.verify(totp.code(step: step - 1), at: now) == step - 1)
        #expect(totp.verify(totp.code(step: step + 1), at: now) == step + 1)
        #expect(totp.verify(totp.code(step: step - 2), at: now) == nil)
        #expect(totp.verify(totp.code(step: step + 2), at: now) == nil)
        // A code already used (its step stored) is refused, as is any earlier one.
        #expect(totp.verify(totp.code(step: step), at: now, after: step) == nil)
        #expect(totp.verify(totp.code(step: step - 1), at: now, after: step) == nil)
        #expect(totp.verify(totp.code(step: step + 1), at: now, after: step) == step + 1)
        for malformed in ["", "12345", "1234567", "12345a", " 123456"] {
            #expect(totp.verify(malformed, at: now) == nil)
        }
    }
}
