import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `GET /internal/agencies/{id}/due-items?from&to[&as_of][&limit][&cursor]` (Notify's
/// credential): the agency's items due in `from…to`, judged on `as_of` (default `from`),
/// with each person's address and their unit's supervisors (addresses asked of
/// Identity), for renewal reminders. Cursor-paged; see ``DueItemsPage``.
///
/// Today the items are the certifications people hold (their expiry is the due date,
/// `met` until `due_soon_days` = 60 before it, `overdue` after it).
struct DueItemRoutes {
    let services: RecordsRuntime

    static let defaultLimit = 500
    static let maxLimit = 1000
    /// The widest window one request may ask for.
    static let maxDays = 800
    static let dueSoonDays = 60

    func register(on router: Router) {
        let auth = ServiceAuthMiddleware(verifier: services.context.credentials.verifier, allowedCallers: [.notify])
        router.get("/internal/agencies/{id}/due-items", middleware: [auth]) { request in try await answer(request) }
    }

    private func answer(_ request: HTTPRequest) async throws -> HTTPResponse {
        let agency: AgencyID = try request.context.parameters.id("id", what: "agency")
        let query = request.query
        let from = try Self.day(query["from"], "from"), to = try Self.day(query["to"], "to")
        let asOf = try query["as_of"].map { _ in try Self.day(query["as_of"], "as_of") } ?? from
        guard from <= to, from.days(until: to) <= Self.maxDays else {
            throw HTTPError.badRequest("from…to must be in order and at most \(Self.maxDays) days long.", code: "invalid_range")
        }
        let limit = try query["limit"].map { text throws(HTTPError) in
            guard let limit = Int(text), (1...Self.maxLimit).contains(limit) else {
                throw .badRequest("limit must be a whole number from 1 to \(Self.maxLimit).", code: "invalid_limit")
            }
            return limit
        } ?? Self.defaultLimit
        let after = try query["cursor"].map { text throws(HTTPError) in
            guard let cursor = PageCursor(encoded: text, fields: 2), let person = PersonID(string: cursor.fields[0]),
                  let type = CertificationTypeID(string: cursor.fields[1]) else {
                throw .badRequest("The cursor is not one this API gave out.", code: "invalid_cursor")
            }
            return DueItemStore.Cursor(person: person, type: type)
        }
        let (zone, rows): (AgencyTimeZone, [DueItemStore.Row])
        do {
            (zone, rows) = try await services.context.db.withAgency(agency) { tx in
                (try await RecordsSettings.timeZone(in: tx),
                 try await DueItemStore.heldCertifications(from: from, to: to, asOf: asOf, after: after, limit: limit, in: tx))
            }
        } catch is AgencyNotProvisioned {
            throw HTTPError.notFound("agency")
        }
        var users = UserBook(agency: agency, services: services, request: request)
        var items: [DueItem] = []
        for row in rows {
            var supervisors: [EmailRecipient] = []
            for text in row.supervisors {
                guard let id = UserID(string: text), let user = try await users.active(id) else { continue }
                supervisors.append(EmailRecipient(userID: user.id, address: user.email, name: user.name))
            }
            var email = row.email
            if email == nil, let user = row.userID { email = try await users.active(user)?.email }
            let status: DueItem.Status = asOf > row.expiresOn ? .overdue : asOf.days(until: row.expiresOn) <= Self.dueSoonDays ? .dueSoon : .met
            items.append(DueItem(
                personID: row.personID, personName: "\(row.firstName) \(row.lastName)", email: email, userID: row.userID,
                unit: row.unitID.map { DueUnit(id: $0, name: row.unitName ?? "", supervisors: supervisors) },
                item: DueItem.Subject(id: DueItemID(row.typeID.uuid), name: row.typeName), kind: .heldCertification, mandatory: false,
                status: status, dueOn: row.expiresOn, missing: MissingWork(renew: row.typeName)))
        }
        let next = rows.count == limit ? rows.last.map { PageCursor([$0.personID.description, $0.typeID.description]).encoded } : nil
        return try .json(DueItemsPage(timeZone: zone.identifier, items: items, nextCursor: next))
    }

    private static func day(_ text: String?, _ name: String) throws(HTTPError) -> CalendarDate {
        guard let text, let day = CalendarDate(text) else { throw .badRequest("\(name) must be a date (YYYY-MM-DD).", code: "invalid_\(name)") }
        return day
    }

    /// The logins a page names, asked of Identity once each.
    private struct UserBook {
        let agency: AgencyID
        let services: RecordsRuntime
        let request: HTTPRequest
        var known: [UserID: AgencyUser?] = [:]

        init(agency: AgencyID, services: RecordsRuntime, request: HTTPRequest) {
            self.agency = agency
            self.services = services
            self.request = request
        }

        /// The user when active, else nil.
        mutating func active(_ id: UserID) async throws -> AgencyUser? {
            if let user = known[id] { return user }
            let user = try await IdentityUsers.find(id, agency: agency, services: services, request: request).flatMap { $0.status == "active" ? $0 : nil }
            known[id] = user
            return user
        }
    }
}
