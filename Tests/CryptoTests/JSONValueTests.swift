@testable import MusterAuth
import Testing

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let json = #" { "s" : "a\"b\\c\/d\n\u00e9\ud83d\ude93", "i": -42, "z": 0, "f": 1.5e3, "t": true, "n": null,"#
            + #" "a": [1, "x", [], {}], "o": {"k": false} } "#
        let members = try JSONMembers(parsing: Array(json.utf8))
        #expect(members["s"] == .string("a\"b\\c/d\né🚓"))
        #expect(members["i"] == .integer(-42))
        #expect(members["z"] == .integer(0))
        #expect(members["f"] == .number(1500))
        #expect(members["t"] == .bool(true))
        #expect(members["n"] == .null)
        #expect(members["a"] == .array([.integer(1), .string("x"), .array([]), .object([:])]))
        #expect(members["o"] == .object(["k": .bool(false)]))
    }

    @Test func refusesWhatIsNotStrictJSON() {
        let bad = [#""#, #"[]"#, #"{"a":1,}"#, #"{"a":1}x"#, #"{"a":1,"a":2}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#,
                   #"{"a":"\x"}"#, #"{"a":"\ud83d"}"#, "{\"a\":\"\u{01}\"}", #"{"a":tru}"#, #"{a:1}"#, #"{"a":"open}"#,
                   String(repeating: #"{"a":"#, count: 20) + "1" + String(repeating: "}", count: 20),
                   "{" + (0..<65).map { #""m\#($0)":0"# }.joined(separator: ",") + "}", #"{"o":{"k":1,"k":2}}"#]
        for text in bad {
            #expect(throws: TokenError.malformed, "\(text)") { try JSONValue.parseObject(Array(text.utf8)) }
        }
        #expect(throws: TokenError.malformed) { try JSONValue.parseObject([UInt8(ascii: "{"), 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
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
