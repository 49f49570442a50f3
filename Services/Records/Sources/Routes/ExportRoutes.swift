import Foundation
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterTime

/// `GET /personnel.csv`, `/training-records.csv?from&to` and `/expenses.csv?from&to`:
/// RFC 4180 with a header row, formula-like values prefixed with `'` (``CSVWriter``),
/// streamed page by page (``CSVExportStream``). For those who read everyone's file
/// (coordinators, admins, auditors); every export is audited before it starts.
struct ExportRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.get("/personnel.csv") { request in
            try await export(request, name: "personnel", header: Self.personnelColumns) { _, _ in
                { after, limit in
                    """
                    SELECT p.id::text AS key, p.id, ARRAY[p.id::text, p.badge_number, p.first_name, p.last_name, coalesce(p.email, ''),
                           coalesce(p.rank, ''), coalesce(p.unit_id::text, ''), coalesce(u.name, ''), p.hire_date::text, p.status,
                           coalesce(p.separated_on::text, ''), coalesce(p.user_id::text, ''), coalesce(p.license_number, ''),
                           coalesce(p.license_issued_on::text, '')] AS cells
                    FROM personnel p LEFT JOIN units u ON u.id = p.unit_id
                    WHERE true \(after.map { "AND p.id > \($0.id)" as SQL } ?? "")
                    ORDER BY p.id LIMIT \(limit)
                    """
                }
            }
        }
        api.get("/training-records.csv") { request in
            try await export(request, name: "training_records", header: Self.trainingColumns) { from, to in
                { after, limit in
                    """
                    SELECT r.completed_on::text AS key, r.id, ARRAY[r.id::text, r.person_id::text, p.badge_number, p.last_name, p.first_name,
                           coalesce(c.code, ''), r.title, r.completed_on::text, trim_scale(r.quarter_hours / 4.0)::text,
                           coalesce((SELECT string_agg(key || ':' || trim_scale(value::numeric / 4)::text, ';' ORDER BY key)
                                     FROM jsonb_each_text(r.category_hours)), ''),
                           r.outcome, coalesce(r.score::text, ''), r.status, r.source, r.version::text] AS cells
                    FROM training_records r JOIN personnel p ON p.id = r.person_id LEFT JOIN courses c ON c.id = r.course_id
                    WHERE true\(SQL.dates("r.completed_on", from: from, to: to))
                      \(after.map { "AND (r.completed_on, r.id) > (\($0.key)::date, \($0.id))" as SQL } ?? "")
                    ORDER BY r.completed_on, r.id LIMIT \(limit)
                    """
                }
            }
        }
        api.get("/expenses.csv") { request in
            try await export(request, name: "expenses", header: Self.expenseColumns) { from, to in
                { after, limit in
                    """
                    SELECT e.incurred_on::text AS key, e.id, ARRAY[e.id::text, e.incurred_on::text, e.amount_cents::text, e.currency,
                           e.category, coalesce(e.vendor, ''), e.funding_source, coalesce(e.person_id::text, ''),
                           coalesce(p.badge_number, ''), coalesce(e.training_record_id::text, ''), coalesce(e.notes, '')] AS cells
                    FROM expenses e LEFT JOIN personnel p ON p.id = e.person_id
                    WHERE e.voided_at IS NULL\(SQL.dates("e.incurred_on", from: from, to: to))
                      \(after.map { "AND (e.incurred_on, e.id) > (\($0.key)::date, \($0.id))" as SQL } ?? "")
                    ORDER BY e.incurred_on, e.id LIMIT \(limit)
                    """
                }
            }
        }
    }

    static let personnelColumns = ["id", "badge_number", "first_name", "last_name", "email", "rank", "unit_id", "unit", "hire_date", "status",
                                   "separated_on", "user_id", "license_number", "license_issued_on"]
    static let trainingColumns = ["id", "person_id", "badge_number", "last_name", "first_name", "course_code", "title", "completed_on", "hours",
                                  "category_hours", "outcome", "score", "status", "source", "version"]
    static let expenseColumns = ["id", "incurred_on", "amount_cents", "currency", "category", "vendor", "funding_source", "person_id",
                                 "badge_number", "training_record_id", "notes"]

    private func export(_ request: HTTPRequest, name: String, header: [String],
                        query: (CalendarDate?, CalendarDate?) -> CSVExportStream.Query) async throws -> HTTPResponse {
        let (from, to) = try ExpenseRoutes.range(request)
        let user = try request.context.requireUser()
        try await services.withCaller(request) { caller, tx in
            guard RecordsAccess.readsEveryone(caller) else { throw HTTPError.forbidden("Your role does not allow this.") }
            try await RecordsAudit(request, caller: caller).record("\(name).exported", target: .records("export", name),
                                                                  reason: "from \(from?.description ?? "-") to \(to?.description ?? "-")", in: tx)
        }
        let stream = CSVExportStream(header: header, pool: services.db, agency: user.agencyID, query: query(from, to))
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/csv; charset=utf-8")
        headers.add("Content-Disposition", "attachment; filename=\"\(name.replacingOccurrences(of: "_", with: "-")).csv\"")
        return HTTPResponse(status: .ok, headers: headers, body: stream.body)
    }
}
