/// What a list request asks for: `limit` (1…200, default 50) and the `cursor` of
/// the previous page, decoded into the list's own cursor type; either one wrong is
/// a `400` (`invalid_limit`, `invalid_cursor`).
///
/// ```swift
/// // GET /api/v1/users?limit=20&cursor=…
/// let page = try PageRequest(query: request.query) { cursor in cursor.fields.first }   // PageRequest<String>
/// let users = try await store.users(after: page.after, limit: page.limit)
/// return try .json(ListPage(items: users, nextCursor: page.nextCursor(after: users) { PageCursor([$0.email]) }))
/// ```
public struct PageRequest<Cursor: Sendable>: Sendable {
    public static var defaultLimit: Int { 50 }
    public static var maxLimit: Int { 200 }

    public let limit: Int
    /// Where the previous page ended; nil for the first page.
    public let after: Cursor?

    public init(limit: Int = Self.defaultLimit, after: Cursor? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Reads `limit` and `cursor` from `query`; `fields` is how many fields the list's
    /// cursors have, `decode` checks them (nil: not a cursor this list gave out).
    public init(query: [String: String], fields: Int = 1, decode: (PageCursor) -> Cursor?) throws(HTTPError) {
        if let text = query["limit"] {
            guard let limit = Int(text), (1...Self.maxLimit).contains(limit) else {
                throw .badRequest("limit must be a whole number from 1 to \(Self.maxLimit).", code: "invalid_limit")
            }
            self.limit = limit
        } else {
            limit = Self.defaultLimit
        }
        if let text = query["cursor"] {
            guard let cursor = PageCursor(encoded: text, fields: fields), let decoded = decode(cursor) else {
                throw .badRequest("The cursor is not one this API gave out.", code: "invalid_cursor")
            }
            after = decoded
        } else {
            after = nil
        }
    }

    /// The cursor of the page after `items` (where it ends), when the page was full;
    /// nil at the end of the list.
    public func nextCursor<Item>(after items: [Item], _ cursor: (Item) -> PageCursor) -> String? {
        guard items.count >= limit, let last = items.last else { return nil }
        return cursor(last).encoded
    }
}
