@testable import MusterAuth
import MusterCore
import Testing

/// A token's JSON, read with the shared `JSONReader` under a token's tighter limits.
@Suite struct JSONMembersTests {
    @Test func tokenLimitsAreTighterThanTheReaderDefaults() throws {
        let deep = String(repeating: #"{"a":"#, count: 20) + "1" + String(repeating: "}", count: 20)
        let wide = "{" + (0..<65).map { #""m\#($0)":0"# }.joined(separator: ",") + "}"
        for text in [deep, wide, #"{"a":1,"a":2}"#, "[]", #"{"a":1}x"#] {
            #expect(throws: TokenError.malformed, "\(text)") { try JSONMembers(parsing: Array(text.utf8)) }
        }
        #expect(throws: Never.self) { try JSONReader.parse(Array(deep.utf8)) }
        #expect(throws: Never.self) { try JSONReader.parse(Array(wide.utf8)) }
    }

    @Test func readsNumericDatesAndTypedMembers() throws {
        let members = try JSONMembers(parsing: Array(#"{"exp": 1700000000.9, "iat": 1700000000, "roles": ["a"], "bad": [1]}"#.utf8))
        #expect(try members.time("exp") == 1_700_000_000)
        #expect(try members.time("iat") == 1_700_000_000)
        #expect(try members.optionalTime("nbf") == nil)
        #expect(try members.strings("roles") == ["a"])
        #expect(throws: TokenError.malformed) { try members.strings("bad") }
        #expect(throws: TokenError.malformed) { try members.string("exp") }
        #expect(throws: TokenError.malformed) { try members.string("missing") }
    }
}
