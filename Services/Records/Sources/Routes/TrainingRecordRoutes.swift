import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/training-records`, `/api/v1/me/training-records` and
/// `/api/v1/personnel/{id}/training-records`: recording, correcting (a new version,
/// `If-Match`), voiding and reading training; its history.
struct TrainingRecordRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.post("/training-records", bodyLimit: 64 << 10) { request in try await create(request, submitting: false) }
        api.post("/me/training-records", bodyLimit: 64 << 10) { request in try await create(request, submitting: true) }
        api.get("/me/training-records") { request in try await listOwn(request) }
        api.get("/training-records/{id}") { request in try await read(request) }
        api.patch("/training-records/{id}", bodyLimit: 64 << 10) { request in try await correct(request) }
        api.delete("/training-records/{id}") { request in try await void(request) }
        api.get("/training-records/{id}/history") { request in try await history(request) }
        api.get("/personnel/{id}/training-records") { request in try await listOfPerson(request) }
    }

    private func create(_ request: HTTPRequest, submitting: Bool) async throws -> HTTPResponse {
        var allowed = TrainingRecordInput.fields
        if submitting { allowed.remove("person_id") }
        let body = try RequestFields(request, allowed: allowed)
        let input = try TrainingRecordInput(body, creating: true)
        let named: PersonID? = submitting ? nil : try body.id("person_id")
        return try await services.withCaller(request) { caller, tx in
            let person: PersonID
            if submitting {
                person = try RecordsAccess.requireSubmitter(caller)
            } else {
                try RecordsAccess.requireWriter(caller)
                person = named!
                try RecordsAccess.checkSeparation(caller, subject: person)
            }
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                guard try await PersonnelStore.subject(person, in: tx) != nil else {
                    throw HTTPError.unprocessable("person_id names no person.", code: "unknown_person")
                }
                let values = try await input.resolve(person: person, current: nil, in: tx)
                let id = TrainingRecordID()
                let status: RecordStatus = submitting ? .pending : .approved
                try await tx.execute("""
                    INSERT INTO training_records (id, person_id, course_id, title, completed_on, quarter_hours, category_hours, outcome, score,
                        instructor_person_id, notes, status, source, created_by, updated_by)
                    VALUES (\(id), \(person), \(values.course), \(values.title), \(values.completedOn), \(values.quarters),
                            \(try JSONB(values.split)), \(values.outcome.rawValue), \(values.score), \(values.instructor), \(values.notes),
                            \(status.rawValue), \(submitting ? "submission" : "entry"), \(caller.user), \(caller.user))
                    """)
                let after = try await TrainingRecordStore.find(id, in: tx)!
                try await TrainingRecordStore.appendVersion(id, action: submitting ? "submitted" : "created", by: caller.user,
                                                            before: nil, after: after, in: tx)
                try await RecordsAudit(request, caller: caller).record(submitting ? "training_record.submitted" : "training_record.created",
                                                                       target: .records("training_record", id), before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: TrainingRecordID = try request.context.parameters.id("id", what: "training record")
        return try await services.withCaller(request) { caller, tx in
            guard let record = try await TrainingRecordStore.find(id, in: tx), case .string(let text)? = record["person_id"],
                  let person = PersonID(string: text) else { throw HTTPError.notFound("training record") }
            _ = try await PersonnelStore.readable(person, caller: caller, action: "training_record.read", request: request, in: tx)
            return try .json(record)
        }
    }

    /// `If-Match: "<version>"` (quotes optional): `428` without, `412` when stale.
    static func expectedVersion(_ request: HTTPRequest, current: Int, required: Bool = true) throws(HTTPError) -> Void {
        guard let header = request.headers["If-Match"] else {
            if required { throw HTTPError(HTTPStatus(rawValue: 428), code: "precondition_required", message: "Send If-Match: \"<version>\".") }
            return
        }
        let text = header.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"W/"))
        guard let version = Int(text) else {
            throw HTTPError.badRequest("If-Match must be the record's version, e.g. \"3\".", code: "invalid_if_match")
        }
        guard version == current else {
            throw HTTPError(HTTPStatus(rawValue: 412), code: "version_mismatch",
                            message: "The record is at version \(current); read it again before changing it.")
        }
    }

    private func correct(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: TrainingRecordID = try request.context.parameters.id("id", what: "training record")
        let body = try RequestFields(request, allowed: TrainingRecordInput.fields.subtracting(["person_id"]))
        let input = try TrainingRecordInput(body, creating: false)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let head = try await TrainingRecordStore.head(id, in: tx) else { throw HTTPError.notFound("training record") }
            try RecordsAccess.checkSeparation(caller, subject: head.person)
            try Self.expectedVersion(request, current: head.version)
            guard head.status != .voided else { throw HTTPError.conflict("A void record cannot be corrected.", code: "record_voided") }
            let before = try await TrainingRecordStore.find(id, in: tx)!
            let current = try await TrainingRecordInput.Resolved.stored(id, in: tx)
            let values = try await input.resolve(person: head.person, current: current, in: tx)
            try await tx.execute("""
                UPDATE training_records SET course_id = \(values.course), title = \(values.title), completed_on = \(values.completedOn),
                    quarter_hours = \(values.quarters), category_hours = \(try JSONB(values.split)), outcome = \(values.outcome.rawValue),
                    score = \(values.score), instructor_person_id = \(values.instructor), notes = \(values.notes),
                    version = version + 1, updated_by = \(caller.user), updated_at = now()
                WHERE id = \(id)
                """)
            let after = try await TrainingRecordStore.find(id, in: tx)!
            try await TrainingRecordStore.appendVersion(id, action: "corrected", by: caller.user, before: before, after: after, in: tx)
            try await RecordsAudit(request, caller: caller).record("training_record.corrected", target: .records("training_record", id),
                                                                   before: before, after: after, in: tx)
            var response = try HTTPResponse.json(after)
            response.headers["ETag"] = "\"\(head.version + 1)\""
            return response
        }
    }

    private func void(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: TrainingRecordID = try request.context.parameters.id("id", what: "training record")
        let reason = request.query["reason"].map { String($0.prefix(1000)) }
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let head = try await TrainingRecordStore.head(id, in: tx) else { throw HTTPError.notFound("training record") }
            try RecordsAccess.checkSeparation(caller, subject: head.person)
            try Self.expectedVersion(request, current: head.version, required: false)
            guard head.status != .voided else { throw HTTPError.conflict("The record is already void.", code: "record_voided") }
            let before = try await TrainingRecordStore.find(id, in: tx)!
            try await tx.execute("""
                UPDATE training_records SET status = 'voided', version = version + 1, updated_by = \(caller.user), updated_at = now()
                WHERE id = \(id)
                """)
            let after = try await TrainingRecordStore.find(id, in: tx)!
            try await TrainingRecordStore.appendVersion(id, action: "voided", by: caller.user, before: before, after: after, reason: reason, in: tx)
            try await RecordsAudit(request, caller: caller).record("training_record.voided", target: .records("training_record", id),
                                                                   before: before, after: after, reason: reason, in: tx)
            return try .json(after)
        }
    }

    private func history(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: TrainingRecordID = try request.context.parameters.id("id", what: "training record")
        return try await services.withCaller(request) { caller, tx in
            guard let row = try await tx.query("SELECT person_id FROM training_records WHERE id = \(id)").first else {
                throw HTTPError.notFound("training record")
            }
            let person = PersonID(try row.decode("person_id", as: UUID.self))
            _ = try await PersonnelStore.readable(person, caller: caller, action: "training_record.history.read", request: request, in: tx)
            return try JSONRows.list(try await tx.query("""
                SELECT jsonb_build_object('version', v.version, 'action', v.action, 'changed_by', v.changed_by,
                    'changed_at', \(JSONRows.time("v.changed_at")), 'changes', v.changes, 'record', v.snapshot, 'reason', v.reason)::text AS json
                FROM training_record_versions v WHERE v.record_id = \(id) ORDER BY v.version
                """))
        }
    }

    private func listOwn(_ request: HTTPRequest) async throws -> HTTPResponse {
        let person = try await services.withCaller(request) { caller, _ in try RecordsAccess.ownPerson(caller) }
        return try await list(request, person: person)
    }

    private func listOfPerson(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await list(request, person: try request.context.parameters.id("id", what: "person"))
    }

    /// One person's records, newest first, filtered by `from`, `to` (completion dates), `category` and `status`.
    private func list(_ request: HTTPRequest, person: PersonID) async throws -> HTTPResponse {
        let page = try RecordsPage(request)
        let query = request.query
        func date(_ name: String) throws(HTTPError) -> CalendarDate? {
            guard let text = query[name] else { return nil }
            guard let date = CalendarDate(text) else { throw HTTPError.badRequest("\(name) must be a date YYYY-MM-DD.", code: "invalid_filter") }
            return date
        }
        let from = try date("from"), to = try date("to")
        let status = try query["status"].map { text throws(HTTPError) -> RecordStatus in
            guard let status = RecordStatus(rawValue: text) else { throw HTTPError.badRequest("Unknown status.", code: "invalid_filter") }
            return status
        }
        let category = query["category"]
        return try await services.withCaller(request) { caller, tx in
            _ = try await PersonnelStore.readable(person, caller: caller, action: "training_records.read", request: request, in: tx)
            var filter: SQL = "r.person_id = \(person)"
            if let from { filter = filter + " AND r.completed_on >= \(from)" }
            if let to { filter = filter + " AND r.completed_on <= \(to)" }
            if let status { filter = filter + " AND r.status = \(status.rawValue)" }
            if let category { filter = filter + " AND r.category_hours ? \(category)" }
            if let after = page.after { filter = filter + " AND (r.completed_on::text, r.id) < (\(after.key), \(after.id))" }
            let rows = try await tx.query("""
                SELECT \(TrainingRecordStore.json), r.completed_on::text AS sort_key, r.id FROM training_records r WHERE \(filter)
                ORDER BY r.completed_on DESC, r.id DESC LIMIT \(page.limit)
                """)
            return try JSONRows.list(rows, nextCursor: page.nextCursor(count: rows.count, key: try rows.last?.decode("sort_key", as: String.self),
                                                                       id: try rows.last?.decode("id", as: UUID.self)))
        }
    }
}
