import Foundation
import MusterCore
import MusterHTTP
import Testing

/// The one list shape: `limit` and `cursor` parsing, the cursor codec, the body.
@Suite struct ListPageTests {
    @Test func cursorsAreBase64URLOfTheirFields() throws {
        // Python: base64.urlsafe_b64encode(b'1:1740000000000001:42').rstrip(b'=')
        #expect(PageCursor(["1", "1740000000000001", "42"]).encoded == "MToxNzQwMDAwMDAwMDAwMDAxOjQy")
        #expect(PageCursor(["ü>?", "x"]).encoded == "w7w-Pzp4")
        #expect(PageCursor(encoded: "w7w-Pzp4", fields: 2)?.fields == ["ü>?", "x"])
        // Only the last field may hold ':' (a time with its offset).
        let time = PageCursor(["id", "2024-05-01 13:45:00.123+00:30"])
        #expect(PageCursor(encoded: time.encoded, fields: 2) == time)
        for forged in ["", "!!!", "w7w+Pzp4", "w7w-Pzp4=", "A", String(repeating: "A", count: 600)] {
            #expect(PageCursor(encoded: forged, fields: 2) == nil, "\(forged)")
        }
        #expect(PageCursor(encoded: "YzE6Nw", fields: 3) == nil, "c1:7 has two fields")
    }

    @Test func limitAndCursorAreReadOrRefused() throws {
        let first = try PageRequest(query: [:]) { $0.fields.first }
        #expect(first.limit == 50 && first.after == nil)
        let next = try PageRequest(query: ["limit": "200", "cursor": PageCursor(["a@b.example"]).encoded]) { $0.fields.first }
        #expect(next.limit == 200 && next.after == "a@b.example")
        for (query, code) in [(["limit": "0"], "invalid_limit"), (["limit": "201"], "invalid_limit"), (["limit": "x"], "invalid_limit"),
                              (["cursor": "!!!"], "invalid_cursor"), (["cursor": "YzE6Nw"], "invalid_cursor")] {
            #expect(throws: HTTPError.self, "\(query)") {
                do throws(HTTPError) { _ = try PageRequest(query: query, fields: 2) { $0.fields[0] == "c1" ? nil : $0 } } catch { #expect(error.code == code); throw error }
            }
        }
        let page = PageRequest<String>(limit: 2)
        #expect(page.nextCursor(after: ["a", "b"]) { PageCursor([$0]) } == PageCursor(["b"]).encoded)
        #expect(page.nextCursor(after: ["a"]) { PageCursor([$0]) } == nil, "a short page is the last")
    }

    @Test func bodiesHaveItemsAndANullOrStringCursor() throws {
        let encoded = try JSONSerialization.jsonObject(with: Data(JSONCoding.encode(ListPage(items: [1, 2], nextCursor: nil)))) as? [String: Any]
        #expect(encoded?["items"] as? [Int] == [1, 2])
        #expect(encoded?["next_cursor"] is NSNull)
        let raw = ListPage<Never>.bytes(encodedItems: [Array(#"{"a":1}"#.utf8), Array("2".utf8)], nextCursor: "YzE6Nw")
        #expect(String(decoding: raw, as: UTF8.self) == #"{"items":[{"a":1},2],"next_cursor":"YzE6Nw"}"#)
        #expect(String(decoding: ListPage<Never>.bytes(encodedItems: [], nextCursor: nil), as: UTF8.self) == #"{"items":[],"next_cursor":null}"#)
    }
}
