import Foundation
import MusterHTTP

/// `limit` (1–200, default 50) and an opaque `cursor` (the sort key of the last item
/// of the previous page) from the query string. Records' own until Shared has one.
///
/// ```swift
/// let page = try RecordsPage(request)
/// let rows = try await tx.query("… WHERE (key, id) > (\(page.after?.key ?? ""), …) LIMIT \(page.limit)")
/// page.nextCursor(count: rows.count, key: lastKey, id: lastID)
/// ```
struct RecordsPage: Sendable {
    let limit: Int
    /// The last item of the previous page: its sort key and id.
    let after: (key: String, id: UUID)?

    init(_ request: HTTPRequest) throws(HTTPError) {
        let query = request.query
        if let text = query["limit"] {
            guard let limit = Int(text), (1...200).contains(limit) else {
                throw HTTPError.badRequest("limit must be an integer from 1 to 200.", code: "invalid_limit")
            }
            self.limit = limit
        } else {
            limit = 50
        }
        guard let cursor = query["cursor"] else {
            after = nil
            return
        }
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
              let bar = text.lastIndex(of: "|"), let id = UUID(uuidString: String(text[text.index(after: bar)...])) else {
            throw HTTPError.badRequest("The cursor is not one this API gave out.", code: "invalid_cursor")
        }
        after = (String(text[..<bar]), id)
    }

    /// The cursor after a full page ending at (`key`, `id`); nil when the page was the last.
    func nextCursor(count: Int, key: String?, id: UUID?) -> String? {
        guard count == limit, let key, let id else { return nil }
        return Data((key + "|" + id.uuidString.lowercased()).utf8).base64EncodedString()
    }
}
