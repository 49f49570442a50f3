import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/personnel` and `/api/v1/me/person`: the agency's people.
struct PersonnelRoutes {
    let services: RecordsRuntime

    static let fields: Set<String> = ["badge_number", "first_name", "last_name", "email", "rank", "unit_id", "hire_date",
                                      "status", "separated_on", "user_id", "license_number", "license_issued_on"]

    func register(on api: RouteGroup) {
        api.post("/personnel", bodyLimit: 16 << 10) { request in try await create(request) }
        api.get("/personnel") { request in try await list(request) }
        api.get("/personnel/{id}") { request in try await read(request) }
        api.patch("/personnel/{id}", bodyLimit: 16 << 10) { request in try await change(request) }
        api.get("/me/person") { request in try await me(request) }
    }

    /// The values a body sets, validated.
    private struct Values {
        var badge: String?, first: String?, last: String?, email: String?, rank: String?, license: String?
        var unit: UnitID?, user: UserID?, hired: CalendarDate?, separated: CalendarDate?, licensed: CalendarDate?
        var status: PersonnelStatus?

        init(_ body: RequestFields, creating: Bool) throws(HTTPError) {
            badge = try body.text("badge_number", required: creating, max: 40)
            first = try body.text("first_name", required: creating, max: 100)
            last = try body.text("last_name", required: creating, max: 100)
            email = try body.text("email", required: false, max: 254)?.lowercased()
            if let email, !email.contains("@") || email.contains(" ") {
                throw HTTPError.unprocessable("email is not an email address.", code: "invalid_email")
            }
            rank = try body.text("rank", required: false, max: 100)
            license = try body.text("license_number", required: false, max: 100)
            unit = try body.id("unit_id", required: false)
            user = try body.id("user_id", required: false)
            hired = try body.date("hire_date", required: creating)
            separated = try body.date("separated_on", required: false)
            licensed = try body.date("license_issued_on", required: false)
            status = try body.choice("status", required: false, as: PersonnelStatus.self)
        }
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: Self.fields)
        var values = try Values(body, creating: true)
        values.status = values.status ?? .active
        try Self.checkSeparation(status: values.status!, separatedOn: values.separated)
        let principal = try request.context.requireUser()
        let login = try await checkedLogin(values.user, principal: principal, request: request)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            _ = login
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                if let unit = values.unit { try await requireUnit(unit, in: tx) }
                let id = PersonID()
                try await Self.writing {
                    try await tx.execute("""
                        INSERT INTO personnel (id, badge_number, first_name, last_name, email, rank, unit_id, hire_date, status,
                                               separated_on, user_id, license_number, license_issued_on)
                        VALUES (\(id), \(values.badge), \(values.first), \(values.last), \(values.email), \(values.rank), \(values.unit),
                                \(values.hired), \(values.status!.rawValue), \(values.separated), \(values.user), \(values.license), \(values.licensed))
                        """)
                }
                let after = try await PersonnelStore.find(id, in: tx)
                try await RecordsAudit(request, caller: caller).record("personnel.created", target: .records("person", id),
                                                                       before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let page = try RecordsPage(request)
        let query = request.query
        let unit = try query["unit_id"].map { text throws(HTTPError) -> UnitID in
            guard let id = UnitID(string: text) else { throw HTTPError.badRequest("unit_id is not an id.", code: "invalid_filter") }
            return id
        }
        let status = try query["status"].map { text throws(HTTPError) -> PersonnelStatus in
            guard let status = PersonnelStatus(rawValue: text) else { throw HTTPError.badRequest("Unknown status.", code: "invalid_filter") }
            return status
        }
        let text = query["q"].map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard text.count <= 100 else { throw HTTPError.badRequest("q is too long.", code: "invalid_filter") }
        let sortKey: SQL = "lower(p.last_name) || chr(31) || lower(p.first_name)"
        return try await services.withCaller(request) { caller, tx in
            var filter: SQL = "TRUE"
            if case .units(let units) = try RecordsAccess.listScope(caller) {
                filter = filter + " AND p.unit_id = ANY(\(units.map(\.uuid)))"
            }
            if let unit {
                filter = filter + """
                     AND p.unit_id IN (WITH RECURSIVE below AS (SELECT \(unit)::uuid AS id
                                       UNION SELECT u.id FROM units u JOIN below ON u.parent_id = below.id) SELECT id FROM below)
                    """
            }
            if let status { filter = filter + " AND p.status = \(status.rawValue)" }
            if !text.isEmpty {
                let pattern = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                filter = filter + """
                     AND (lower(p.last_name) LIKE \(pattern) OR lower(p.first_name) LIKE \(pattern)
                          OR lower(p.badge_number) LIKE \(pattern) OR lower(p.first_name || ' ' || p.last_name) LIKE \(pattern))
                    """
            }
            if let after = page.after { filter = filter + " AND (\(sortKey), p.id) > (\(after.key), \(after.id))" }
            let rows = try await tx.query("""
                SELECT \(PersonnelStore.json), \(sortKey) AS sort_key, p.id FROM personnel p WHERE \(filter)
                ORDER BY \(sortKey), p.id LIMIT \(page.limit)
                """)
            let last = rows.last
            return try JSONRows.list(rows, nextCursor: page.nextCursor(count: rows.count, key: try last?.decode("sort_key", as: String.self),
                                                                       id: try last?.decode("id", as: UUID.self)))
        }
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PersonID = try request.context.parameters.id("id", what: "person")
        return try await services.withCaller(request) { caller, tx in
            _ = try await PersonnelStore.readable(id, caller: caller, action: "personnel.read", request: request, in: tx)
            return try .json(try await PersonnelStore.find(id, in: tx))
        }
    }

    private func me(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            guard let own = caller.ownPerson, let person = try await PersonnelStore.find(own, in: tx) else {
                throw HTTPError.notFound("person linked to your login")
            }
            return try .json(person)
        }
    }

    private func change(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PersonID = try request.context.parameters.id("id", what: "person")
        let body = try RequestFields(request, allowed: Self.fields)
        let values = try Values(body, creating: false)
        try body.rejectNull(["badge_number", "first_name", "last_name", "hire_date", "status"])
        let principal = try request.context.requireUser()
        _ = try await checkedLogin(values.user, principal: principal, request: request)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let before = try await PersonnelStore.find(id, in: tx, forUpdate: true) else { throw HTTPError.notFound("person") }
            if let unit = values.unit { try await requireUnit(unit, in: tx) }
            func keep(_ field: String) -> Bool { !body.has(field) }
            try await Self.writing {
                try await tx.execute("""
                    UPDATE personnel SET
                        badge_number = coalesce(\(values.badge), badge_number), first_name = coalesce(\(values.first), first_name),
                        last_name = coalesce(\(values.last), last_name), hire_date = coalesce(\(values.hired), hire_date),
                        status = coalesce(\(values.status?.rawValue), status),
                        email = CASE WHEN \(keep("email")) THEN email ELSE \(values.email) END,
                        rank = CASE WHEN \(keep("rank")) THEN rank ELSE \(values.rank) END,
                        unit_id = CASE WHEN \(keep("unit_id")) THEN unit_id ELSE \(values.unit) END,
                        user_id = CASE WHEN \(keep("user_id")) THEN user_id ELSE \(values.user) END,
                        license_number = CASE WHEN \(keep("license_number")) THEN license_number ELSE \(values.license) END,
                        license_issued_on = CASE WHEN \(keep("license_issued_on")) THEN license_issued_on ELSE \(values.licensed) END,
                        separated_on = CASE WHEN \(keep("separated_on")) AND coalesce(\(values.status?.rawValue), status) = 'separated'
                                            THEN separated_on
                                            WHEN coalesce(\(values.status?.rawValue), status) <> 'separated' THEN NULL
                                            ELSE \(values.separated) END,
                        version = version + 1, updated_at = now()
                    WHERE id = \(id)
                    """)
            }
            let after = try await PersonnelStore.find(id, in: tx)
            try await RecordsAudit(request, caller: caller).record("personnel.updated", target: .records("person", id),
                                                                   before: before, after: after, in: tx)
            return try .json(after)
        }
    }

    /// `separated` needs `separated_on`; other statuses have none.
    private static func checkSeparation(status: PersonnelStatus, separatedOn: CalendarDate?) throws(HTTPError) {
        guard (status == .separated) == (separatedOn != nil) else {
            throw HTTPError.unprocessable("status separated needs separated_on, and only it has one.", code: "invalid_separated_on")
        }
    }

    /// A login linked to a person must be a user of the same agency (asked of Identity before any transaction).
    private func checkedLogin(_ user: UserID?, principal: UserPrincipal, request: HTTPRequest) async throws -> UserID? {
        guard let user, !principal.roles.isDisjoint(with: RecordsAccess.writerRoles) else { return user }
        guard try await IdentityUsers.find(user, agency: principal.agencyID, services: services, request: request) != nil else {
            throw HTTPError.unprocessable("user_id names no user of the agency.", code: "unknown_user")
        }
        return user
    }

    private func requireUnit(_ id: UnitID, in tx: Transaction) async throws {
        guard try await !tx.query("SELECT 1 FROM units WHERE id = \(id)").isEmpty else {
            throw HTTPError.unprocessable("unit_id names no unit of the agency.", code: "unknown_unit")
        }
    }

    /// Maps the table's unique and check constraints to answers that name the field.
    static func writing(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as DatabaseError where error.isUniqueViolation {
            if error.constraint?.contains("user_id") == true {
                throw HTTPError.conflict("That login is already linked to another person.", code: "user_already_linked")
            }
            throw HTTPError.conflict("That badge number is already in use.", code: "badge_number_taken")
        } catch let error as DatabaseError where error.isCheckViolation {
            throw HTTPError.unprocessable("status separated needs separated_on, and only it has one.", code: "invalid_separated_on")
        }
    }
}
