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
