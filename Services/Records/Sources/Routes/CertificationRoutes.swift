import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/certifications` and `/api/v1/personnel/{id}/certifications`: certifications
/// held, their expiry (from the type's validity in calendar months, clamped to a shorter
/// month's end), renewals, versioned corrections and voiding.
struct CertificationRoutes {
    let services: RecordsRuntime

    static let json: SQL = """
        jsonb_build_object('id', c.id, 'person_id', c.person_id, 'type_id', c.type_id, 'number', c.number,
            'issued_on', c.issued_on, 'expires_on', c.expires_on, 'renews_id', c.renews_id, 'status', c.status,
            'version', c.version, 'created_by', c.created_by, 'created_at', \(JSONRows.time("c.created_at")),
            'updated_at', \(JSONRows.time("c.updated_at")))::text AS json
        """

    func register(on api: RouteGroup) {
        api.post("/certifications", bodyLimit: 16 << 10) { request in try await create(request) }
        api.get("/certifications/{id}") { request in try await read(request) }
        api.patch("/certifications/{id}", bodyLimit: 16 << 10) { request in try await change(request, voiding: false) }
        api.delete("/certifications/{id}") { request in try await change(request, voiding: true) }
        api.get("/personnel/{id}/certifications") { request in try await list(request) }
    }

    private static func find(_ id: CertificationID, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(json) FROM certifications c WHERE c.id = \(id)"))
    }

    private static func appendVersion(_ id: CertificationID, action: String, by user: UserID, before: [String: JSONValue]?,
                                      after: [String: JSONValue], in tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO certification_versions (certification_id, version, action, changed_by, changes, snapshot)
            SELECT id, version, \(action), \(user), \(try JSONB(RecordsAudit.changes(before: before ?? [:], after: after))), \(try JSONB(after))
            FROM certifications WHERE id = \(id)
            """)
    }

    /// `expires_on` as given, else `issued_on` + the type's validity (nil: never expires).
    private static func expiry(type: CertificationTypeID, issued: CalendarDate, given: CalendarDate?, in tx: Transaction) async throws -> CalendarDate? {
        guard let row = try await tx.query("SELECT validity_months FROM certification_types WHERE id = \(type)").first else {
            throw HTTPError.unprocessable("type_id names no certification type.", code: "unknown_certification_type")
        }
        let expires = try given ?? row.decode("validity_months", as: Int?.self).map { issued.addingMonths($0) }
        if let expires, expires < issued {
            throw HTTPError.unprocessable("expires_on is before issued_on.", code: "invalid_expires_on")
        }
        return expires
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["person_id", "type_id", "issued_on", "expires_on", "number", "renews_id"])
        let person: PersonID = try body.id("person_id")!
        let type: CertificationTypeID = try body.id("type_id")!
        let issued = try body.date("issued_on")!
        let given = try body.date("expires_on", required: false)
        let number = try body.text("number", required: false, max: 100)
        let renews: CertificationID? = try body.id("renews_id", required: false)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            try RecordsAccess.checkSeparation(caller, subject: person)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                guard try await PersonnelStore.subject(person, in: tx) != nil else {
                    throw HTTPError.unprocessable("person_id names no person.", code: "unknown_person")
                }
                let expires = try await Self.expiry(type: type, issued: issued, given: given, in: tx)
                if let renews, try await tx.query("""
                    SELECT 1 FROM certifications WHERE id = \(renews) AND person_id = \(person) AND type_id = \(type)
                    """).isEmpty {
                    throw HTTPError.unprocessable("renews_id names no certification of this person and type.", code: "invalid_renews_id")
                }
                let id = CertificationID()
                try await tx.execute("""
                    INSERT INTO certifications (id, person_id, type_id, number, issued_on, expires_on, renews_id, created_by, updated_by)
                    VALUES (\(id), \(person), \(type), \(number), \(issued), \(expires), \(renews), \(caller.user), \(caller.user))
                    """)
                let after = try await Self.find(id, in: tx)!
                try await Self.appendVersion(id, action: "created", by: caller.user, before: nil, after: after, in: tx)
                try await RecordsAudit(request, caller: caller).record("certification.created", target: .records("certification", id),
                                                                       before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: CertificationID = try request.context.parameters.id("id", what: "certification")
        return try await services.withCaller(request) { caller, tx in
            guard let found = try await Self.find(id, in: tx), case .string(let text)? = found["person_id"],
                  let person = PersonID(string: text) else { throw HTTPError.notFound("certification") }
            _ = try await PersonnelStore.readable(person, caller: caller, action: "certification.read", request: request, in: tx)
            return try .json(found)
        }
    }

    private func change(_ request: HTTPRequest, voiding: Bool) async throws -> HTTPResponse {
        let id: CertificationID = try request.context.parameters.id("id", what: "certification")
        let body = voiding ? nil : try RequestFields(request, allowed: ["issued_on", "expires_on", "number"])
        let issued = try body?.date("issued_on", required: false)
        let given = try body?.date("expires_on", required: false)
        let number = try body?.text("number", required: false, max: 100)
        try body?.rejectNull(["issued_on"])
        // `null` clears the number; `expires_on: null` derives the expiry from the type again.
        let clearsNumber = body?.isNull("number") == true, derivesExpiry = body?.isNull("expires_on") == true
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let row = try await tx.query("""
                SELECT person_id, type_id, issued_on, status, version FROM certifications WHERE id = \(id) FOR UPDATE
                """).first else { throw HTTPError.notFound("certification") }
            let person = PersonID(try row.decode("person_id", as: UUID.self))
            try RecordsAccess.checkSeparation(caller, subject: person)
            try TrainingRecordRoutes.expectedVersion(request, current: try row.decode("version", as: Int.self), required: !voiding)
            guard try row.decode("status", as: String.self) != "voided" else {
                throw HTTPError.conflict("The certification is void.", code: "certification_voided")
            }
            let before = try await Self.find(id, in: tx)!
            if voiding {
                try await tx.execute("UPDATE certifications SET status = 'voided', version = version + 1, updated_by = \(caller.user), updated_at = now() WHERE id = \(id)")
            } else {
                let newIssued = try issued ?? row.decode("issued_on", as: CalendarDate.self)
                let type = CertificationTypeID(try row.decode("type_id", as: UUID.self))
                let recompute = given != nil || issued != nil || derivesExpiry
                let expires = recompute ? try await Self.expiry(type: type, issued: newIssued, given: given, in: tx) : nil
                try await tx.execute("""
                    UPDATE certifications SET issued_on = \(newIssued),
                        expires_on = CASE WHEN \(recompute) THEN \(expires) ELSE expires_on END,
                        number = CASE WHEN \(clearsNumber) THEN NULL ELSE coalesce(\(number), number) END, version = version + 1, updated_by = \(caller.user), updated_at = now()
                    WHERE id = \(id)
                    """)
            }
            let after = try await Self.find(id, in: tx)!
            try await Self.appendVersion(id, action: voiding ? "voided" : "corrected", by: caller.user, before: before, after: after, in: tx)
            try await RecordsAudit(request, caller: caller).record(voiding ? "certification.voided" : "certification.corrected",
                                                                   target: .records("certification", id), before: before, after: after, in: tx)
            return try .json(after)
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let person: PersonID = try request.context.parameters.id("id", what: "person")
        return try await services.withCaller(request) { caller, tx in
            _ = try await PersonnelStore.readable(person, caller: caller, action: "certifications.read", request: request, in: tx)
            return try JSONRows.list(try await tx.query("""
                SELECT \(Self.json) FROM certifications c WHERE c.person_id = \(person) ORDER BY c.issued_on DESC, c.id
                """))
        }
    }
}
