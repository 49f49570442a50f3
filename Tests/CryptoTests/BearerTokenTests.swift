@testable import MusterAuth
import Testing

/// `Authorization: Bearer <token>` parsing (RFC 6750 §2.1), scheme case-insensitive.
@Suite struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "abc"),
        ("BEARER   abc", "abc"),
        ("Bearer é.ü", "é.ü"),
    ])
    func tokensAreRead(_ value: String, _ token: String) {
        #expect(BearerToken.from(value) == token[...])
    }

    @Test(arguments: [nil, "", "Bearer", "Bearer ", "Bearer    ", "Basic abc", "Bearerabc", "Bearer a b", "Bearer abc ", "Beärer abc"])
    func othersAreRefused(_ value: String?) {
        #expect(BearerToken.from(value) == nil)
    }
}
