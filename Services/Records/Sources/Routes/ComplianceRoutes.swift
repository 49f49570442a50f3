import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// The compliance status routes (spec: Status, Summary), computed by the engine from the
/// data in the request's own transaction — never a cache, so a record written is in the
/// next answer. `as_of` defaults to today in the agency's zone; a future one is a forecast.
///
/// | route | who |
/// |---|---|
/// | `GET /personnel/{id}/compliance` | as reading the person's file (audited when not one's own) |
/// | `GET /me/compliance` | anyone linked to a person |
/// | `GET /compliance/summary`, `/compliance/personnel`, `/compliance.csv` | supervisors (their units), coordinators, admins, auditors |
struct ComplianceRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.get("/personnel/{id}/compliance") { request in try await person(request) }
        api.get("/me/compliance") { request in try await me(request) }
        api.get("/compliance/summary") { request in try await summary(request) }
        api.get("/compliance/personnel") { request in try await personnel(request) }
        ComplianceExport(services: services).register(on: api)
    }

    /// The dates a status may be asked for: wide enough for any record and forecast, narrow enough that every
    /// period and due date computed from them stays a date.
    static let asOfRange = CalendarDate("1900-01-01")!...CalendarDate("2199-12-31")!

    /// `?as_of=YYYY-MM-DD`, or nil for today.
    static func asOf(_ request: HTTPRequest) throws(HTTPError) -> CalendarDate? {
        guard let text = request.query["as_of"] else { return nil }
        guard let date = CalendarDate(text), asOfRange.contains(date) else {
            throw HTTPError.badRequest("as_of is not a date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31.", code: "invalid_as_of")
        }
        return date
    }

    private func person(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PersonID = try request.context.parameters.id("id", what: "person")
        let asOf = try Self.asOf(request)
        return try await services.withCaller(request) { caller, tx in
            _ = try await PersonnelStore.readable(id, caller: caller, action: "compliance.read", request: request, in: tx)
            return try await Self.report(id, asOf: asOf, in: tx)
        }
    }

    private func me(_ request: HTTPRequest) async throws -> HTTPResponse {
        let asOf = try Self.asOf(request)
        return try await services.withCaller(request) { caller, tx in
            try await Self.report(try RecordsAccess.ownPerson(caller), asOf: asOf, in: tx)
        }
    }

    private static func report(_ id: PersonID, asOf: CalendarDate?, in tx: Transaction) async throws -> HTTPResponse {
        let roster = try await ComplianceStore.load(.person(id), in: tx)
        guard let person = roster.people.first else { throw HTTPError.notFound("person") }
        return try .json(roster.plan(asOf: asOf).report(for: person.prepared))
    }

    /// The roster a list may show (supervisors: their units; officers: `403`), narrowed to
    /// `?unit_id=` and the units below it, and the units that get a `by_unit` row.
    static func scopedRoster(_ request: HTTPRequest, caller: RecordsCaller,
                             in tx: Transaction) async throws -> (ComplianceRoster, [ComplianceRosterPerson], [UnitID]) {
        let unit = try request.query["unit_id"].map { text throws(HTTPError) -> UnitID in
            guard let id = UnitID(string: text) else { throw HTTPError.badRequest("unit_id is not an id.", code: "invalid_filter") }
            return id
        }
        let scope = try RecordsAccess.listScope(caller)
        let filter: ComplianceRosterFilter
        switch scope {
        case .everyone: filter = .everyone
        case .units(let units): filter = .units(units)
        }
        let roster = try await ComplianceStore.load(filter, in: tx)
        var visible: Set<UnitID>
        switch scope {
        case .everyone: visible = Set(roster.units.map(\.id))
        case .units(let units): visible = units
        }
        if let unit {
            guard roster.units.contains(where: { $0.id == unit }) else { throw HTTPError.notFound("unit") }
            guard visible.contains(unit) else { throw HTTPError.forbidden("You supervise no such unit.") }
            visible = roster.subtree(of: unit).intersection(visible)
        }
        let people = unit == nil && scope == .everyone ? roster.people : roster.people.filter { $0.history.person.unitID.map(visible.contains) ?? false }
        let rows = roster.units.map(\.id).filter(visible.contains).sorted { $0.description < $1.description }
        return (roster, people.filter { $0.history.person.status != .separated }, rows)
    }

    private func summary(_ request: HTTPRequest) async throws -> HTTPResponse {
        let asOf = try Self.asOf(request)
        return try await services.withCaller(request) { caller, tx in
            let (roster, people, rows) = try await Self.scopedRoster(request, caller: caller, in: tx)
            return try .json(ComplianceSummary(plan: roster.plan(asOf: asOf), people: people.map(\.prepared), units: roster.units, rows: rows))
        }
    }

    /// One person of `/compliance/personnel`: their overall status and the requirements not met.
    struct PersonItem: Encodable {
        let personID: PersonID
        let badgeNumber: String
        let firstName: String
        let lastName: String
        let unitID: UnitID?
        let status: OverallStatus
        let requirements: [RequirementReport]
    }

    static let unmet: Set<RequirementStatus> = [.inProgress, .dueSoon, .overdue]

    /// `?status=compliant|due_soon|overdue` (overall), `?requirement_id=` (only those who have
    /// not met it: in progress, due soon or overdue), `unit_id`, `limit`, `cursor`.
    private func personnel(_ request: HTTPRequest) async throws -> HTTPResponse {
        let asOf = try Self.asOf(request)
        let query = request.query
        let status = try query["status"].map { text throws(HTTPError) -> OverallStatus in
            guard let status = OverallStatus(rawValue: text) else {
                throw HTTPError.badRequest("status must be compliant, due_soon or overdue.", code: "invalid_filter")
            }
            return status
        }
        let requirement = try query["requirement_id"].map { text throws(HTTPError) -> RequirementID in
            guard let id = RequirementID(string: text) else { throw HTTPError.badRequest("requirement_id is not an id.", code: "invalid_filter") }
            return id
        }
        let page = try PageRequest<(key: String, id: String)>(query: query, fields: 2) { cursor in
            PersonID(string: cursor.fields[0]) == nil ? nil : (cursor.fields[1], cursor.fields[0])
        }
        return try await services.withCaller(request) { caller, tx in
            let (roster, people, _) = try await Self.scopedRoster(request, caller: caller, in: tx)
            let plan = roster.plan(asOf: asOf)
            let only = try requirement.map { id throws(HTTPError) -> Int in
                guard let index = roster.rulebook.requirements.firstIndex(where: { $0.id == id }) else { throw HTTPError.notFound("requirement") }
                return index
            }
            var items: [(person: ComplianceRosterPerson, item: PersonItem)] = []
            for person in people {
                if let after = page.after, !ComplianceRoster.follows(person, after) { continue }
                if let only, !Self.unmet.contains(plan.evaluate(requirementAt: only, for: person.prepared).status) { continue }
                let overall = plan.overallStatus(of: person.prepared)
                if let status, overall != status { continue }
                let report = plan.report(for: person.prepared)
                items.append((person, PersonItem(personID: person.id, badgeNumber: person.badgeNumber, firstName: person.firstName,
                                                 lastName: person.lastName, unitID: person.history.person.unitID, status: overall,
                                                 requirements: report.requirements.filter { Self.unmet.contains($0.status) })))
                if items.count == page.limit { break }
            }
            try await RecordsAudit(request, caller: caller).record("compliance.listed", target: .records("compliance", "personnel"),
                                                                   reason: request.query.isEmpty ? nil : Self.describe(query), in: tx)
            let next = page.nextCursor(after: items) { PageCursor([$0.person.id.description, $0.person.sortKey]) }
            return try .json(ListPage(items: items.map(\.item), nextCursor: next))
        }
    }

    /// The filters of a list, for its audit event.
    static func describe(_ query: [String: String]) -> String {
        query.filter { $0.key != "cursor" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(60))" }.joined(separator: " ")
    }
}

extension ComplianceRoster {
    /// Whether `person` comes after the cursor's (`key`, `id`) in the listing order.
    static func follows(_ person: ComplianceRosterPerson, _ cursor: (key: String, id: String)) -> Bool {
        !person.precedes(key: cursor.key, id: cursor.id) && !(person.sortKey == cursor.key && person.id.description == cursor.id)
    }
}
