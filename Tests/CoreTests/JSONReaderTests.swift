import Foundation
import MusterCore
import Testing

/// The one strict JSON reader: what it accepts, what it refuses, and its limits.
@Suite struct JSONReaderTests {
    @Test func parsesEveryKindOfValue() throws {
        let json = #" { "s" : "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude93", "i": -42, "z": 0, "f": 1.5e3, "t": true, "n": null,"#
            + #" "a": [1, "x", [], {}], "o": {"k": false}, "big": 123456789012 } "#
        let root = try JSONReader.parse(Array(json.utf8))
        #expect(root["s"] == .string("a\"b\\c/d\u{8}\u{C}\n\r\té🚓"))
        #expect(root["i"] == .number(-42))
        #expect(root["z"] == .number(0))
        #expect(root["f"] == .number(1500))
        #expect(root["t"] == .bool(true))
        #expect(root["n"] == .null)
        #expect(root["a"] == .array([.number(1), .string("x"), .array([]), .object([])]))
        #expect(root["o"]?["k"] == .bool(false))
        #expect(root["missing"] == nil)
        #expect(root.value == JSONValue.object(["s": .string("a\"b\\c/d\u{8}\u{C}\n\r\té🚓"), "i": -42, "z": 0, "f": 1500, "t": true,
                                                "n": nil, "a": .array([1, "x", .array([]), .object([:])]), "o": .object(["k": false]),
                                                "big": .number(123_456_789_012)]))
        guard case .object(let members) = root else { Issue.record("not an object"); return }
        #expect(members.map(\.name) == ["s", "i", "z", "f", "t", "n", "a", "o", "big"], "members keep their order")
    }

    @Test func refusesWhatIsNotStrictJSON() {
        let bad = ["", "{", #"{"a":1,}"#, "[1,]", #"{"a":1}x"#, #"{"a":1,"a":2}"#, #"{"o":{"k":1,"k":2}}"#, #"{"a":01}"#, #"{"a":1.}"#,
                   #"{"a":-}"#, "[1e999]", #"{"a":"\x"}"#, #"{"a":"\ud83d"}"#, #"["\udc00"]"#, "{\"a\":\"\u{01}\"}", #"{"a":tru}"#,
                   #"{a:1}"#, #"{"a":"open}"#, "[1] // c", "[NaN]", String(repeating: "[", count: 100) + String(repeating: "]", count: 100)]
        for text in bad {
            #expect(throws: JSONReader.Malformed.self, "\(text)") { try JSONReader.parse(Array(text.utf8)) }
        }
        #expect(throws: JSONReader.Malformed.self) { try JSONReader.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONReader.Malformed.self) { try JSONReader.parse([0x22, 0xC3, 0x22]) }
    }

    @Test func aRepeatedNameIsFoundInLongObjectsToo() throws {
        let names = (0..<40).map { "m\($0)" }
        let unique = "{" + names.map { #""\#($0)":0"# }.joined(separator: ",") + "}"
        #expect(throws: Never.self) { try JSONReader.parse(Array(unique.utf8)) }
        for repeated in ["m0", "m17", "m39"] {
            let text = "{" + (names + [repeated]).map { #""\#($0)":0"# }.joined(separator: ",") + "}"
            #expect(throws: JSONReader.Malformed.self, "\(repeated)") { try JSONReader.parse(Array(text.utf8)) }
        }
    }

    @Test func limitsBoundDepthAndMembers() throws {
        let limits = JSONReader.Limits(depth: 3, members: 2)
        #expect(throws: Never.self) { try JSONReader.parse(Array("[[[]]]".utf8), limits: limits) }
        #expect(throws: JSONReader.Malformed.self) { try JSONReader.parse(Array("[[[[]]]]".utf8), limits: limits) }
        #expect(throws: Never.self) { try JSONReader.parse(Array(#"{"a":1,"b":2}"#.utf8), limits: limits) }
        #expect(throws: JSONReader.Malformed.self) { try JSONReader.parse(Array(#"{"a":1,"b":2,"c":3}"#.utf8), limits: limits) }
    }
}
