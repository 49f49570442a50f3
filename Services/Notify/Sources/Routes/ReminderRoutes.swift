import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// Renewal reminders as people see them:
///
/// ```
/// GET /api/v1/reminders?person_id&from&to&limit&cursor   → what was sent, with its delivery status
/// GET /api/v1/me/reminder-preferences                    → {"muted_requirement_ids": [...]}
/// PUT /api/v1/me/reminder-preferences {"muted_requirement_ids": [...]}
/// ```
///
/// Admins and coordinators read every reminder of their agency; anyone else only the
/// ones addressed to them (an officer's own, a supervisor's copies). Muting covers
/// the officer's own copy of requirements that are not mandatory; it never stops a
/// supervisor's copy (the sweep ignores mutes of mandatory items).
enum ReminderRoutes {
    struct Preferences: Codable {
        var mutedRequirementIDs: [DueItemID]
    }

    static let maxMuted = 500

    static func register(on api: RouteGroup, pool: DatabasePool) {
        api.get("/reminders") { request in
            let user = try request.context.requireUser()
            let query = request.query
            let person = try query["person_id"].map { text throws(HTTPError) in
                guard let id = PersonID(string: text) else { throw .badRequest("person_id must be a UUID.", code: "invalid_person_id") }
                return id
            }
            let to = try day(query["to"], name: "to") ?? CalendarDate(daysSinceEpoch: Int64(Date().timeIntervalSince1970 / 86_400) + 1)
            let from = try day(query["from"], name: "from") ?? to.addingDays(-90)
            guard from <= to else { throw HTTPError.badRequest("from must not be after to.", code: "invalid_range") }
            let wanted = try PageRequest(query: query, fields: 2, decode: ReminderLog.Cursor.init(pageCursor:))
            let everyone = user.has(.agencyAdmin) || user.has(.coordinator)
            let items = try await pool.withAgency(user.agencyID) { tx in
                try await ReminderLog.page(person: person, recipient: everyone ? nil : user.userID, from: from, to: to,
                                           after: wanted.after, limit: wanted.limit, in: tx)
            }
            return try .json(ListPage(items: items, nextCursor: wanted.nextCursor(after: items) { $0.cursor.pageCursor }))
        }

        api.get("/me/reminder-preferences") { request in
            let user = try request.context.requireUser()
            let muted = try await pool.withAgency(user.agencyID) { tx in try await ReminderStore.mutes(of: user.userID, in: tx) }
            return try .json(Preferences(mutedRequirementIDs: muted))
        }

        api.put("/me/reminder-preferences", bodyLimit: 64 << 10) { request in
            let user = try request.context.requireUser()
            if user.supportGrantID != nil { throw HTTPError.forbidden("Support access is read-only.") }
            let wanted = try request.decode(Preferences.self)
            let muted = Array(Set(wanted.mutedRequirementIDs)).sorted()
            guard muted.count <= maxMuted else {
                throw HTTPError.unprocessable("At most \(maxMuted) requirements may be muted.", code: "too_many_muted")
            }
            try await pool.withAgency(user.agencyID) { tx in
                let before = try await ReminderStore.mutes(of: user.userID, in: tx)
                guard before != muted else { return }
                try await ReminderStore.setMutes(of: user.userID, to: muted, in: tx)
                try await AuditTrail(request, agency: user.agencyID).record(
                    "reminder.preferences.updated", actor: .principal(user),
                    target: AuditTarget(type: "reminder_preferences", id: user.userID.description),
                    changes: ["muted_requirement_ids": AuditChange(before: .array(before.map { .string($0.description) }),
                                                                   after: .array(muted.map { .string($0.description) }))],
                    in: tx)
            }
            return try .json(Preferences(mutedRequirementIDs: muted))
        }
    }

    private static func day(_ text: String?, name: String) throws(HTTPError) -> CalendarDate? {
        guard let text else { return nil }
        guard let day = CalendarDate(text) else { throw .badRequest("\(name) must be a date (YYYY-MM-DD).", code: "invalid_\(name)") }
        return day
    }
}
