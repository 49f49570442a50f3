import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `GET /api/v1/personnel/{id}/transcript?from&to[&format=json]`: a person's defensible
/// training file (``Transcript``) as a printable HTML page (``TranscriptHTML``) or as JSON.
/// Whoever may read the person's file may download it; every download is audited
/// (`personnel.transcript.downloaded`), one's own included. The compliance status is the
/// engine's for the day printed, from the same transaction's data; the audit proof is
/// Audit's latest signed checkpoint, asked for before the transaction so that no database
/// connection waits on another service.
struct TranscriptRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.get("/personnel/{id}/transcript") { request in try await transcript(request) }
    }

    private func transcript(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PersonID = try request.context.parameters.id("id", what: "person")
        let (from, to) = try ExpenseRoutes.range(request)
        let json: Bool
        switch request.query["format"] {
        case nil, "html": json = false
        case "json": json = true
        default: throw HTTPError.badRequest("format must be html or json.", code: "invalid_query")
        }
        let user = try request.context.requireUser()
        let checkpoint = try await AuditCheckpoints.latest(of: user.agencyID, services: services, request: request)
        let now = Date()
        return try await services.withCaller(request) { caller, tx in
            guard let subject = try await PersonnelStore.subject(id, in: tx) else { throw HTTPError.notFound("person") }
            _ = try RecordsAccess.readPerson(caller, person: id, unit: subject.unit)
            guard let parts = try await TranscriptStore.load(id, from: from, to: to, in: tx) else { throw HTTPError.notFound("person") }
            let roster = try await ComplianceStore.load(.person(id), in: tx)
            guard let prepared = roster.people.first?.prepared else { throw HTTPError.notFound("person") }
            let transcript = Transcript(person: parts.person, from: from, to: to, printedOn: roster.today,
                                        generatedAt: Timestamp.rfc3339(now), records: parts.records,
                                        certifications: parts.certifications, acknowledgements: parts.acknowledgements,
                                        waivers: parts.waivers, compliance: roster.plan().report(for: prepared),
                                        checkpoint: checkpoint, agencySlug: user.agencySlug)
            try await RecordsAudit(request, caller: caller).record(
                "personnel.transcript.downloaded", target: .records("person", id),
                reason: "\(json ? "json" : "html") \(from?.description ?? "…")–\(to?.description ?? "…"), \(parts.records.count) records", in: tx)
            var response = json ? try HTTPResponse.json(transcript)
                : HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"],
                               body: .bytes(Array(TranscriptHTML.render(transcript, agencyName: user.agencySlug).utf8)))
            // Nothing on the page may run or load: inline styles only.
            response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
            response.headers["Cache-Control"] = "no-store"
            return response
        }
    }
}
