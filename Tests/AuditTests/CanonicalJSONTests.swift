import AuditService
import Foundation
import MusterContracts
import MusterCore
import Testing

@Suite struct CanonicalJSONTests {
    @Test func sortsKeysByCodePointAtEveryDepthWithoutWhiteSpace() {
        var json = CanonicalJSON()
        json.value(.object(["b": 1, "a": .object(["é": true, "z": nil, "Z": "x"]), "aa": .array([2, "y"])]))
        #expect(json.text == #"{"a":{"Z":"x","z":null,"é":true},"aa":[2,"y"],"b":1}"#)
        // Swift's String `<` is not code-point order; the encoding's is.
        #expect(CanonicalJSON.codePointOrder("\u{FFFF}", "\u{10000}"))
    }

    @Test func numbersPrintIntegersPlainlyAndOthersInShortestForm() {
        func text(_ number: Double) -> String {
            var json = CanonicalJSON()
            json.number(number)
            return json.text
        }
        #expect(text(42) == "42")
        #expect(text(-0.0) == "0")
        #expect(text(0.1) == "0.1")
        #expect(text(-2.5) == "-2.5")
        #expect(text(9_007_199_254_740_994) == "9.007199254740994e+15")
    }

    @Test func stringsEscapeExactlyAsPythonJSONDumpsWithoutASCIIEscaping() throws {
        let samples = ["plain", "quote \" and \\ backslash", "tab\tnew\nline\rcr", "\u{0}\u{1}\u{1F}\u{7F}", "\u{8}\u{C}",
                       "é ü 中文 🚓", "\u{2028}\u{2029}", "</script>", ""]
        for sample in samples {
            var json = CanonicalJSON()
            json.string(sample)
            let python = try PythonOracle.run("print(json.dumps(sys.stdin.read(), ensure_ascii=False), end='')", input: sample)
            #expect(json.text == python, "\(sample.debugDescription)")
        }
    }

    @Test func pythonReencodesWhatSwiftWroteByteForByte() throws {
        let value = JSONValue.object([
            "roles": .object(["before": .array(["officer"]), "after": .array(["officer", "supervisor"])]),
            "hours": .object(["before": .number(1.5), "after": .number(1e-7)]),
            "note": .object(["before": nil, "after": "line\nbreak \"quoted\" 🚓"]),
            "flags": .object(["before": false, "after": true]),
            "big": .object(["before": 12_345_678_901, "after": .number(1e300)]),
        ])
        var json = CanonicalJSON()
        json.value(value)
        let python = try PythonOracle.run("print(v.canonical(v.loads(sys.stdin.read())), end='')", input: json.text)
        #expect(python == json.text)
    }

    @Test func idsAreWrittenLowerCaseLikeFoundation() {
        for event in EventSamples.chain(50) {
            let text = String(decoding: EventEncoding.canonical(event, includingHash: false), as: UTF8.self)
            #expect(text.contains(#""id":"\#(event.record.id.uuid.uuidString.lowercased())""#))
            #expect(text.contains(#""user_id":"\#(event.record.actor.userID!.uuid.uuidString.lowercased())""#))
            #expect(text.contains(#""agency_id":"\#(event.record.chain.agencyID!.uuid.uuidString.lowercased())""#))
        }
    }
}
