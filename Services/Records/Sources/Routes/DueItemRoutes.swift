import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `GET /internal/agencies/{id}/due-items?from&to[&as_of][&limit][&cursor]` (Notify's
/// credential): the agency's items due in `from…to`, as the compliance engine judges them
/// on `as_of` (default `from`) — requirements, and certifications held that no certification
/// requirement names — with each person's address and their unit's supervisors (addresses
/// asked of Identity), for renewal reminders. Paged by people (`limit` people a page, by
/// id); see ``DueItemsPage``.
struct DueItemRoutes {
    let services: RecordsRuntime

    static let defaultLimit = 200
    static let maxLimit = 1000
    /// The widest window one request may ask for.
    static let maxDays = 800

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
            guard let cursor = PageCursor(encoded: text, fields: 1), let person = PersonID(string: cursor.fields[0]) else {
                throw .badRequest("The cursor is not one this API gave out.", code: "invalid_cursor")
            }
            return person
        }
        let (roster, contacts, typeNames): (ComplianceRoster, [PersonID: DueItemStore.Contact], [CertificationTypeID: String])
        do {
            (roster, contacts, typeNames) = try await services.context.db.withAgency(agency) { tx in
                let roster = try await ComplianceStore.load(.page(after: after, limit: limit), in: tx)
                return (roster, try await DueItemStore.contacts(of: roster.people.map(\.id), in: tx),
                        try await DueItemStore.certificationTypeNames(in: tx))
            }
        } catch is AgencyNotProvisioned {
            throw HTTPError.notFound("agency")
        }
        let plan = roster.plan(asOf: asOf)
        let list = DueItemList(rulebook: roster.rulebook, asOf: asOf, window: from...to, typeNames: typeNames)
        var users = UserBook(agency: agency, services: services, request: request)
        var items: [DueItem] = []
        for person in roster.people.sorted(by: { $0.id < $1.id }) {
            let report = plan.report(for: person.prepared)
            let found = contacts[person.id]
            var contact = DueItemList.Contact(email: found?.email, userID: found?.userID)
            let due = list.items(report, history: person.history, name: "\(person.firstName) \(person.lastName)", contact: contact)
            guard !due.isEmpty else { continue }
            // Identity is asked only about the people something is due for.
            if contact.email == nil, let user = contact.userID { contact.email = try await users.active(user)?.email }
            if let found, let unit = found.unitID {
                var supervisors: [EmailRecipient] = []
                for text in found.supervisors {
                    guard let id = UserID(string: text), let user = try await users.active(id) else { continue }
                    supervisors.append(EmailRecipient(userID: user.id, address: user.email, name: user.name))
                }
                contact.unit = DueUnit(id: unit, name: found.unitName ?? "", supervisors: supervisors)
            }
            items += due.map { item in
                var item = item
                (item.email, item.unit) = (contact.email, contact.unit)
                return item
            }
        }
        let last = roster.people.map(\.id).max()
        let next = roster.people.count == limit ? last.map { PageCursor([$0.description]).encoded } : nil
        return try .json(DueItemsPage(timeZone: roster.timeZone.identifier, items: items, nextCursor: next))
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
