import Foundation
import MusterCore
import MusterDatabase
import MusterHTTP

/// The delivery log for agency admins: `GET /api/v1/notify/messages` (filter by
/// `status`, cursor pagination) and `GET /api/v1/notify/messages/{id}` (with every
/// attempt). Status, template, recipient and attempts; never data or bodies.
enum MessageRoutes {
    static let defaultLimit = 50, maxLimit = 200

    struct MessageView: Encodable {
        struct Recipient: Encodable {
            var userId: UserID?
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
            recipient = Recipient(userId: entry.recipientUserId, address: entry.recipientAddress, name: entry.recipientName)
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
            let limit = try query["limit"].map { text throws(HTTPError) in
                guard let limit = Int(text), (1...maxLimit).contains(limit) else { throw .badRequest("limit must be 1 to \(maxLimit).") }
                return limit
            } ?? defaultLimit
            let cursor = try query["cursor"].map { text throws(HTTPError) in
                guard let cursor = MessageCursor(encoded: text) else { throw .badRequest("The cursor is not valid.", code: "invalid_cursor") }
                return cursor
            }
            let page = try await pool.withAgency(user.agencyID) { tx in
                try await MessageLog.page(status: status, after: cursor, limit: limit, in: tx)
            }
            return try .json(Page(items: page.entries.map { MessageView($0) }, nextCursor: page.next?.encoded))
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
