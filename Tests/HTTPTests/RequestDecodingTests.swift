import MusterHTTP
import Testing

/// `request.decode`: what a JSON body must be before a handler sees it.
@Suite struct RequestDecodingTests {
    struct Note: Decodable, Equatable {
        let text: String
    }

    static func decode(_ json: String) throws(HTTPError) -> Note {
        try HTTPRequest(method: .post, target: "/notes", body: Array(json.utf8)).decode(Note.self)
    }

    @Test func textWithNULIsRefusedAs400() {
        // PostgreSQL cannot store NUL: accepted, it failed later as a 500 (jsonb) or was cut short (text).
        for json in [#"{"text":"a\u0000b"}"#, #"{"text":"\u0000"}"#, #"{"text":"\\\u0000"}"#] {
            let error = #expect(throws: HTTPError.self, "\(json)") { try Self.decode(json) }
            #expect(error?.status == .badRequest && error?.code == "invalid_json")
        }
    }

    @Test func anEscapedBackslashBeforeU0000IsText() throws {
        #expect(try Self.decode(#"{"text":"C:\\u0000"}"#) == Note(text: #"C:\u0000"#))
        #expect(try Self.decode(#"{"text":"\u0001 and \\"}"#) == Note(text: "\u{1} and \\"))
    }
}

/// Path parameters and query items: percent-escapes decoded, and what the
/// database could not store faithfully refused rather than altered.
@Suite struct PercentDecodingTests {
    @Test func escapesAndPlusAreDecoded() {
        #expect(PercentDecoding.decode("a%20b%2Fc", plusIsSpace: false) == "a b/c")
        #expect(PercentDecoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a+b", plusIsSpace: false) == "a+b")
        #expect(PercentDecoding.decode("%C3%A9", plusIsSpace: false) == "é")
    }

    @Test(arguments: ["a%00b", "%00", "%2", "%zz", "%FF"])
    func malformedOrNULIsRefused(_ text: String) {
        #expect(PercentDecoding.decode(text[...], plusIsSpace: false) == nil)
    }

    @Test func aQueryItemWithNULIsDropped() {
        let request = HTTPRequest(method: .get, target: "/search?q=a%00b&page=2")
        #expect(request.query == ["page": "2"])
    }
}
