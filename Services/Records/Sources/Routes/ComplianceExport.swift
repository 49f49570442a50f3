import Foundation
import MusterCore
import MusterHTTP
import MusterTime

/// `GET /compliance.csv?as_of&unit_id`: one row per person and requirement (people who are
/// not separated, in the listing order), RFC 4180 with formula-like values escaped
/// (``CSVWriter``). The roster is read in one transaction (one consistent answer), then
/// the rows are written as the client reads, a few hundred people at a time. Audited.
struct ComplianceExport {
    let services: RecordsRuntime

    static let columns = ["person_id", "badge_number", "last_name", "first_name", "unit_id", "overall_status", "requirement_id",
                          "requirement_code", "requirement_name", "kind", "status", "due_on", "period_starts_on", "period_ends_on",
                          "required_hours", "completed_hours", "remaining_hours", "last_completed_on", "expires_on", "waiver_id"]

    /// People per chunk of the streamed body.
    static let chunk = 250

    func register(on api: RouteGroup) {
        api.get("/compliance.csv") { request in try await export(request) }
    }

    private func export(_ request: HTTPRequest) async throws -> HTTPResponse {
        let asOf = try ComplianceRoutes.asOf(request)
        let (roster, people) = try await services.withCaller(request) { caller, tx in
            let (roster, people, _) = try await ComplianceRoutes.scopedRoster(request, caller: caller, in: tx)
            try await RecordsAudit(request, caller: caller).record("compliance.exported", target: .records("export", "compliance"),
                                                                   reason: ComplianceRoutes.describe(request.query), in: tx)
            return (roster, people)
        }
        let plan = roster.plan(asOf: asOf)
        let rows = Rows(plan: plan, people: people)
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/csv; charset=utf-8")
        headers.add("Content-Disposition", "attachment; filename=\"compliance-\(plan.asOf).csv\"")
        return HTTPResponse(status: .ok, headers: headers, body: .stream(AsyncThrowingStream { await rows.next() }))
    }

    /// The rows still to write.
    private actor Rows {
        let plan: CompliancePlan
        let people: [ComplianceRosterPerson]
        var position = 0
        var headerWritten = false

        init(plan: CompliancePlan, people: [ComplianceRosterPerson]) {
            self.plan = plan
            self.people = people
        }

        func next() -> [UInt8]? {
            var csv = CSVWriter(reservingCapacity: ComplianceExport.chunk * plan.requirementCount * 200)
            if !headerWritten {
                csv.write(ComplianceExport.columns)
                headerWritten = true
            }
            let end = min(people.count, position + ComplianceExport.chunk)
            for person in people[position..<end] {
                let report = plan.report(for: person.prepared)
                for line in report.requirements {
                    csv.write(ComplianceExport.cells(person, overall: report.status, line))
                }
            }
            position = end
            return csv.bytes.isEmpty ? nil : csv.take()
        }
    }

    static func cells(_ person: ComplianceRosterPerson, overall: OverallStatus, _ line: RequirementReport) -> [String] {
        [person.id.description, person.badgeNumber, person.lastName, person.firstName, person.history.person.unitID?.description ?? "",
         overall.rawValue, line.requirementID.description, line.code, line.name, line.kind.rawValue, line.status.rawValue,
         line.dueOn?.description ?? "", line.period?.startsOn.description ?? "", line.period?.endsOn.description ?? "",
         line.requiredHours?.description ?? "", line.completedHours?.description ?? "", line.remainingHours?.description ?? "",
         line.lastCompletedOn?.description ?? "", line.expiresOn?.description ?? "", line.waiver?.id.description ?? ""]
    }
}
