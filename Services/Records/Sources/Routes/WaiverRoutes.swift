import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/personnel/{id}/waivers`: a coordinator's exemption of one person from one
/// requirement, with a reason (spec: Waivers) — one period of a period kind
/// (`period_ends_on`, a day on which one of the requirement's periods ends for that person)
/// or the other kinds until a date (`until`, inclusive). Revoking keeps the waiver, marked.
struct WaiverRoutes {
    let services: RecordsRuntime

    static let json: SQL = """
        jsonb_build_object('id', w.id, 'person_id', w.person_id, 'requirement_id', w.requirement_id,
            'period_ends_on', w.period_ends_on, 'until', w.until, 'reason', w.reason, 'created_by', w.created_by,
            'created_at', \(JSONRows.time("w.created_at")), 'revoked_at', \(JSONRows.time("w.revoked_at")), 'revoked_by', w.revoked_by)::text AS json
        """

    func register(on api: RouteGroup) {
        api.post("/personnel/{id}/waivers", bodyLimit: 16 << 10) { request in try await create(request) }
        api.get("/personnel/{id}/waivers") { request in try await list(request) }
        api.delete("/personnel/{id}/waivers/{waiver_id}") { request in try await revoke(request) }
    }

    private static func find(_ id: WaiverID, person: PersonID, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(json) FROM waivers w WHERE w.id = \(id) AND w.person_id = \(person)"))
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let person: PersonID = try request.context.parameters.id("id", what: "person")
        let body = try RequestFields(request, allowed: ["requirement_id", "period_ends_on", "until", "reason"])
        let requirement: RequirementID = try body.id("requirement_id")!
        let endsOn = try body.date("period_ends_on", required: false), until = try body.date("until", required: false)
        let reason = try body.text("reason", max: 1000)!
        guard (endsOn == nil) != (until == nil) else {
            throw HTTPError.unprocessable("Give exactly one of period_ends_on (a period kind) and until (the other kinds).", code: "invalid_waiver")
        }
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard try await PersonnelStore.subject(person, in: tx) != nil else { throw HTTPError.notFound("person") }
            try RecordsAccess.checkSeparation(caller, subject: person)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                let roster = try await ComplianceStore.load(.person(person), in: tx)
                guard let subject = roster.people.first,
                      let found = roster.rulebook.requirements.first(where: { $0.id == requirement }) else {
                    throw HTTPError.unprocessable("requirement_id names no requirement of the agency.", code: "unknown_requirement")
                }
                try Self.check(endsOn: endsOn, until: until, requirement: found, person: subject.history.person)
                let id = WaiverID()
                try await tx.execute("""
                    INSERT INTO waivers (id, person_id, requirement_id, period_ends_on, until, reason, created_by)
                    VALUES (\(id), \(person), \(requirement), \(endsOn), \(until), \(reason), \(caller.user))
                    """)
                let after = try await Self.find(id, person: person, in: tx)
                try await RecordsAudit(request, caller: caller).record("waiver.created", target: .records("waiver", id),
                                                                       before: nil, after: after, reason: reason, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    /// `period_ends_on` only for a period kind, and only on the last day of one of the
    /// requirement's periods for this person; `until` only for the other kinds.
    static func check(endsOn: CalendarDate?, until: CalendarDate?, requirement: ComplianceRequirement,
                      person: CompliancePerson) throws(HTTPError) {
        let periodic = requirement.versions.first?.params.kind.isPeriodic ?? false
        if until != nil, periodic {
            throw HTTPError.unprocessable("until: this requirement is judged by periods; waive one with period_ends_on.", code: "invalid_waiver")
        }
        guard let endsOn else { return }
        guard periodic else {
            throw HTTPError.unprocessable("period_ends_on: this requirement has no periods; waive it until a date.", code: "invalid_waiver")
        }
        let ends = requirement.versions.compactMap { version -> CalendarDate? in
            guard let rule = version.params.period else { return nil }
            let anchor: CalendarDate?
            if case .anchored(let field, _, _) = rule { anchor = field == .hireDate ? person.hireDate : person.licenseIssuedOn } else { anchor = nil }
            return rule.periods(containing: endsOn, anchorDate: anchor)?.current.endsOn
        }
        guard ends.contains(endsOn) else {
            let hint = ends.first.map { " (the period containing it ends on \($0))" } ?? ""
            throw HTTPError.unprocessable("period_ends_on: no period of this requirement ends on \(endsOn) for this person\(hint).",
                                          code: "invalid_waiver")
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let person: PersonID = try request.context.parameters.id("id", what: "person")
        return try await services.withCaller(request) { caller, tx in
            _ = try await PersonnelStore.readable(person, caller: caller, action: "waivers.read", request: request, in: tx)
            return try JSONRows.list(try await tx.query("""
                SELECT \(Self.json) FROM waivers w WHERE w.person_id = \(person) ORDER BY w.created_at DESC, w.id
                """))
        }
    }

    private func revoke(_ request: HTTPRequest) async throws -> HTTPResponse {
        let person: PersonID = try request.context.parameters.id("id", what: "person")
        let id: WaiverID = try request.context.parameters.id("waiver_id", what: "waiver")
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let before = try await Self.find(id, person: person, in: tx) else { throw HTTPError.notFound("waiver") }
            try RecordsAccess.checkSeparation(caller, subject: person)
            let revoked = try await tx.query("""
                UPDATE waivers SET revoked_at = now(), revoked_by = \(caller.user) WHERE id = \(id) AND revoked_at IS NULL RETURNING id
                """)
            guard !revoked.isEmpty else { throw HTTPError.conflict("The waiver is already revoked.", code: "waiver_revoked") }
            let after = try await Self.find(id, person: person, in: tx)
            try await RecordsAudit(request, caller: caller).record("waiver.revoked", target: .records("waiver", id),
                                                                   before: before, after: after, in: tx)
            return try .json(after)
        }
    }
}
