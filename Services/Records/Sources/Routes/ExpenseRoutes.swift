import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterTime
import MusterService

/// Training expenses: `POST /expenses` (coordinators and admins), `GET /expenses`
/// (filters `from`, `to`, `person_id`, `funding_source`; cursor pages) and
/// `GET /expenses/summary?from&to` (totals by category and by funding source, per
/// currency — amounts in different currencies are never added). Readers: those
/// who read everyone's file (coordinators, admins, auditors).
struct ExpenseRoutes {
    let services: RecordsRuntime

    static let json: SQL = """
        jsonb_build_object('id', e.id, 'incurred_on', e.incurred_on, 'amount_cents', e.amount_cents, 'currency', e.currency,
            'category', e.category, 'vendor', e.vendor, 'funding_source', e.funding_source, 'person_id', e.person_id,
            'training_record_id', e.training_record_id, 'notes', e.notes, 'created_by', e.created_by,
            'created_at', \(JSONRows.time("e.created_at")))::text AS json
        """

    func register(on api: RouteGroup) {
        api.post("/expenses") { request in try await create(request) }
        api.get("/expenses") { request in try await list(request) }
        api.get("/expenses/summary") { request in try await summary(request) }
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["incurred_on", "amount_cents", "currency", "category", "vendor", "funding_source",
                                                        "person_id", "training_record_id", "notes"])
        let incurredOn = try body.date("incurred_on")!
        let amount = try body.integer("amount_cents")!
        guard amount > 0 else { throw HTTPError.unprocessable("amount_cents must be a positive whole number of cents.", code: "invalid_amount_cents") }
        let currency = try body.text("currency", required: false, max: 3) ?? "USD"
        guard Currency.isISO4217(currency) else {
            throw HTTPError.unprocessable("currency must be an ISO 4217 code such as USD.", code: "invalid_currency")
        }
        let category = try body.text("category", max: 100)!
        let vendor = try body.text("vendor", required: false, max: 200)
        let source = try body.choice("funding_source", as: FundingSource.self)!
        let person: PersonID? = try body.id("person_id", required: false)
        let record: TrainingRecordID? = try body.id("training_record_id", required: false)
        let notes = try body.text("notes", required: false, max: 4000)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            let today = try await RecordsSettings.timeZone(in: tx).today()
            guard incurredOn <= today else {
                throw HTTPError.unprocessable("incurred_on is after today (\(today)) in the agency's time zone.", code: "invalid_incurred_on")
            }
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                if let person, try await PersonnelStore.subject(person, in: tx) == nil {
                    throw HTTPError.unprocessable("person_id names no person.", code: "unknown_person")
                }
                if let record, try await tx.query("SELECT 1 FROM training_records WHERE id = \(record)").isEmpty {
                    throw HTTPError.unprocessable("training_record_id names no training record.", code: "unknown_training_record")
                }
                let id = UUID()
                let created = try JSONRows.object(try await tx.query("""
                    WITH e AS (
                        INSERT INTO expenses (id, incurred_on, amount_cents, currency, category, vendor, funding_source, person_id,
                                              training_record_id, notes, created_by)
                        VALUES (\(id), \(incurredOn), \(amount), \(currency), \(category), \(vendor), \(source.rawValue), \(person?.uuid),
                                \(record?.uuid), \(notes), \(caller.user))
                        RETURNING *)
                    SELECT \(Self.json) FROM e
                    """))!
                try await RecordsAudit(request, caller: caller).record("expense.created", target: .records("expense", id), before: nil,
                                                                      after: created, in: tx)
                return try .json(created, status: .created)
            }
        }
    }

    /// `from`/`to` query dates (`400` when not dates).
    static func range(_ request: HTTPRequest) throws(HTTPError) -> (from: CalendarDate?, to: CalendarDate?) {
        func date(_ name: String) throws(HTTPError) -> CalendarDate? {
            guard let text = request.query[name] else { return nil }
            guard let date = CalendarDate(text) else { throw HTTPError.badRequest("\(name) must be a date (YYYY-MM-DD).", code: "invalid_query") }
            return date
        }
        let range = (try date("from"), try date("to"))
        if let from = range.0, let to = range.1, from > to { throw HTTPError.badRequest("from is after to.", code: "invalid_query") }
        return range
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let page = try RecordsPage(request)
        let (from, to) = try Self.range(request)
        let person = try request.query["person_id"].map { text throws(HTTPError) in
            guard let id = UUID(uuidString: text) else { throw HTTPError.badRequest("person_id must be an id.", code: "invalid_query") }
            return id
        }
        let source = try request.query["funding_source"].map { text throws(HTTPError) in
            guard let source = FundingSource(rawValue: text) else {
                throw HTTPError.badRequest("funding_source must be budget, grant, state_reimbursement or other.", code: "invalid_query")
            }
            return source.rawValue
        }
        let after = try page.after.map { after throws(HTTPError) in
            guard let date = CalendarDate(after.key) else { throw HTTPError.badRequest("The cursor is not one this API gave out.", code: "invalid_cursor") }
            return (date, after.id)
        }
        return try await services.withCaller(request) { caller, tx in
            guard RecordsAccess.readsEveryone(caller) else { throw HTTPError.forbidden("Your role does not allow this.") }
            let rows = try await tx.query("""
                SELECT \(Self.json), e.incurred_on::text AS key, e.id FROM expenses e
                WHERE e.voided_at IS NULL\(SQL.dates("e.incurred_on", from: from, to: to))
                  \(person.map { "AND e.person_id = \($0)" as SQL } ?? "") \(source.map { "AND e.funding_source = \($0)" as SQL } ?? "")
                  \(after.map { "AND (e.incurred_on, e.id) > (\($0.0), \($0.1))" as SQL } ?? "")
                ORDER BY e.incurred_on, e.id LIMIT \(page.limit)
                """)
            let last = rows.last
            return try JSONRows.list(rows, nextCursor: page.nextCursor(count: rows.count, key: try last?.decode("key", as: String.self),
                                                                       id: try last?.decode("id", as: UUID.self)))
        }
    }

    private func summary(_ request: HTTPRequest) async throws -> HTTPResponse {
        let (from, to) = try Self.range(request)
        return try await services.withCaller(request) { caller, tx in
            guard RecordsAccess.readsEveryone(caller) else { throw HTTPError.forbidden("Your role does not allow this.") }
            let rows = try await tx.query("""
                SELECT GROUPING(category) AS by_source, coalesce(category, funding_source) AS key, currency,
                       sum(amount_cents)::bigint AS amount, count(*)::int AS n
                FROM expenses
                WHERE voided_at IS NULL\(SQL.dates("incurred_on", from: from, to: to))
                GROUP BY GROUPING SETS ((category, currency), (funding_source, currency))
                ORDER BY 1, 2, 3
                """)
            var byCategory: [[String: JSONValue]] = [], bySource: [[String: JSONValue]] = []
            for row in rows {
                let total: [String: JSONValue] = ["currency": .string(try row.decode("currency", as: String.self)),
                                                  "amount_cents": .number(Double(try row.decode("amount", as: Int64.self))),
                                                  "count": .number(Double(try row.decode("n", as: Int.self)))]
                let key = try row.decode("key", as: String.self)
                if try row.decode("by_source", as: Int.self) == 1 {
                    bySource.append(total.merging(["funding_source": .string(key)]) { $1 })
                } else {
                    byCategory.append(total.merging(["category": .string(key)]) { $1 })
                }
            }
            let body: [String: JSONValue] = ["from": from.map { .string($0.description) } ?? .null, "to": to.map { .string($0.description) } ?? .null,
                                             "by_category": .array(byCategory.map(JSONValue.object)),
                                             "by_funding_source": .array(bySource.map(JSONValue.object))]
            return try .json(body)
        }
    }
}
