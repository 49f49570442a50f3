import MusterCore
import Testing

@Suite struct UTF8BytesTests {
    /// Small (inline) and large strings, slices in their middle, and non-ASCII text all lend exactly their UTF-8.
    @Test(arguments: ["", "GET", "/api/v1/records/ping", String(repeating: "token.", count: 80), "Zoë – Ørsted ✓"])
    func lendsExactlyTheTextsUTF8(_ text: String) {
        #expect(text.withUTF8Bytes { Array($0) } == Array(text.utf8))
        let middle = text.dropFirst(min(2, text.count)).dropLast(min(1, max(0, text.count - 2)))
        #expect(middle.withUTF8Bytes { Array($0) } == Array(middle.utf8))
    }
}
