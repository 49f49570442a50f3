import Foundation
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterTime

/// The delivery log for agency admins: `GET /api/v1/notify/messages` (filter by
/// `status`, cursor pagination) and `GET /api/v1/notify/messages/{id}` (with every
/// attempt). Status, template, recipient and attempts; never data or bodies.
enum MessageRoutes {

    struct MessageView: Encodable {
        struct Recipient: Encodable {
            var userID: UserID?
            var address: String
            var name: String?
        }

        var id: MessageID
        var template: String
        var status: MessageStatus
        var recipient: Recipient
        var requestedBy: String
        var attempts: Int
        var lastError: String?
        var createdAt: Date
        var updatedAt: Date
        var nextAttemptAt: Date?
        var sentAt: Date?
        var attemptLog: [AttemptEntry]?

        init(_ entry: MessageEntry, attempts log: [AttemptEntry]? = nil) {
            id = entry.id
            template = entry.template
            status = entry.status
            recipient = Recipient(userID: entry.recipientUserID, address: entry.recipientAddress, name: entry.recipientName)
            requestedBy = entry.requestedBy
            attempts = entry.attempts
            lastError = entry.lastError
            createdAt = entry.createdAt
            updatedAt = entry.updatedAt
            nextAttemptAt = entry.nextAttemptAt
            sentAt = entry.sentAt
            attemptLog = log
        }
    }

    static func register(on api: RouteGroup, pool: DatabasePool) {
        api.get("/messages") { request in
            let user = try AdminAccess.admin(request)
            let query = request.query
            let status = try query["status"].map { text throws(HTTPError) in
                guard let status = MessageStatus(rawValue: text) else {
                    throw .badRequest("status must be one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return status
            }
            let wanted = try PageRequest(query: query, fields: 2, decode: MessageCursor.init(pageCursor:))
            let page = try await pool.withAgency(user.agencyID) { tx in
                try await MessageLog.page(status: status, after: wanted.after, limit: wanted.limit, in: tx)
            }
            return try .json(ListPage(items: page.entries.map { MessageView($0) }, nextCursor: page.next?.pageCursor.encoded))
        }

        api.get("/messages/{id}") { request in
            let user = try AdminAccess.admin(request)
            let id: MessageID = try request.context.parameters.id("id", what: "message")
            guard let (entry, attempts) = try await pool.withAgency(user.agencyID, { tx in try await MessageLog.entry(id, in: tx) }) else {
                throw HTTPError.notFound("message")
            }
            return try .json(MessageView(entry, attempts: attempts))
        }
    }
}

extension MessageCursor {
    /// As a list cursor: the message id, then the creation time as PostgreSQL printed it.
    var pageCursor: PageCursor { PageCursor([id.description, createdAt]) }

    init?(pageCursor: PageCursor) {
        guard let id = MessageID(string: pageCursor.fields[0]), Timestamp.parse(pageCursor.fields[1]) != nil else { return nil }
        self.init(createdAt: pageCursor.fields[1], id: id)
    }
}
