import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/training-events`: classes with instructors and a roster; completing one
/// writes one approved training record per attendee, all in one transaction or none.
struct TrainingEventRoutes {
    let services: RecordsRuntime

    static let json: SQL = """
        jsonb_build_object('id', e.id, 'course_id', e.course_id, 'starts_on', e.starts_on, 'ends_on', e.ends_on,
            'location', e.location, 'status', e.status, 'completed_at', \(JSONRows.time("e.completed_at")), 'completed_by', e.completed_by,
            'instructor_person_ids', (SELECT coalesce(jsonb_agg(i.person_id ORDER BY i.person_id), '[]'::jsonb)
                                      FROM training_event_instructors i WHERE i.event_id = e.id),
            'roster', (SELECT coalesce(jsonb_agg(jsonb_build_object('person_id', r.person_id, 'outcome', r.outcome,
                                 'hours', \(JSONRows.hours("r.quarter_hours")), 'score', r.score::float8,
                                 'training_record_id', r.training_record_id) ORDER BY r.person_id), '[]'::jsonb)
                       FROM training_event_roster r WHERE r.event_id = e.id),
            'created_at', \(JSONRows.time("e.created_at")), 'updated_at', \(JSONRows.time("e.updated_at")))::text AS json
        """

    func register(on api: RouteGroup) {
        api.post("/training-events", bodyLimit: 64 << 10) { request in try await create(request) }
        api.get("/training-events") { request in try await list(request) }
        api.get("/training-events/{id}") { request in try await read(request) }
        api.put("/training-events/{id}/roster", bodyLimit: 256 << 10) { request in try await putRoster(request) }
        api.post("/training-events/{id}/complete", bodyLimit: 1 << 20) { request in try await complete(request) }
    }

    private static func find(_ id: TrainingEventID, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(json) FROM training_events e WHERE e.id = \(id)"))
    }

    /// Everyone who reads the whole agency, and supervisors (an event spans units).
    private static func requireReader(_ caller: RecordsCaller) throws(HTTPError) {
        guard RecordsAccess.readsEveryone(caller) || caller.roles.contains(.supervisor) else {
            throw HTTPError.forbidden("Your role does not allow this.")
        }
    }

    private static func unknownPeople(_ ids: [PersonID], in tx: Transaction) async throws -> [PersonID] {
        let known = Set(try await tx.query("SELECT id FROM personnel WHERE id = ANY(\(ids.map(\.uuid)))")
            .map { PersonID(try $0.decode("id", as: UUID.self)) })
        return ids.filter { !known.contains($0) }
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["course_id", "starts_on", "ends_on", "location", "instructor_person_ids"])
        let course: CourseID = try body.id("course_id")!
        let starts = try body.date("starts_on")!
        let ends = try body.date("ends_on", required: false) ?? starts
        let location = try body.text("location", required: false, max: 300)
        let instructors: [PersonID] = try body.ids("instructor_person_ids", max: 50)
        guard ends >= starts else { throw HTTPError.unprocessable("ends_on is before starts_on.", code: "invalid_ends_on") }
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                guard try await CatalogStore.course(course, in: tx) != nil else {
                    throw HTTPError.unprocessable("course_id names no course.", code: "unknown_course")
                }
                let unknown = try await Self.unknownPeople(instructors, in: tx)
                guard unknown.isEmpty else {
                    throw HTTPError.unprocessable("instructor_person_ids names unknown people: \(unknown.map(\.description).joined(separator: ", "))",
                                                  code: "unknown_person")
                }
                let id = TrainingEventID()
                try await tx.execute("""
                    INSERT INTO training_events (id, course_id, starts_on, ends_on, location, created_by)
                    VALUES (\(id), \(course), \(starts), \(ends), \(location), \(caller.user))
                    """)
                try await tx.execute("""
                    INSERT INTO training_event_instructors (event_id, person_id) SELECT \(id), unnest(\(instructors.map(\.uuid)))
                    """)
                let after = try await Self.find(id, in: tx)!
                try await RecordsAudit(request, caller: caller).record("training_event.created", target: .records("training_event", id),
                                                                       before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let page = try RecordsPage(request)
        return try await services.withCaller(request) { caller, tx in
            try Self.requireReader(caller)
            var filter: SQL = "TRUE"
            if let after = page.after { filter = "(e.starts_on::text, e.id) < (\(after.key), \(after.id))" }
            let rows = try await tx.query("""
                SELECT \(Self.json), e.starts_on::text AS sort_key, e.id FROM training_events e WHERE \(filter)
                ORDER BY e.starts_on DESC, e.id DESC LIMIT \(page.limit)
                """)
            return try JSONRows.list(rows, nextCursor: page.nextCursor(count: rows.count, key: try rows.last?.decode("sort_key", as: String.self),
                                                                       id: try rows.last?.decode("id", as: UUID.self)))
        }
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: TrainingEventID = try request.context.parameters.id("id", what: "training event")
        return try await services.withCaller(request) { caller, tx in
            try Self.requireReader(caller)
            guard let event = try await Self.find(id, in: tx) else { throw HTTPError.notFound("training event") }
            return try .json(event)
        }
    }

    /// Locks the event; `404` unknown, `409` once completed.
    private static func lockOpen(_ id: TrainingEventID, in tx: Transaction) async throws -> (course: CourseID, ends: CalendarDate) {
        guard let row = try await tx.query("SELECT course_id, ends_on, status FROM training_events WHERE id = \(id) FOR UPDATE").first else {
            throw HTTPError.notFound("training event")
        }
        guard try row.decode("status", as: String.self) != "completed" else {
            throw HTTPError.conflict("The event is already completed.", code: "event_completed")
        }
        return (CourseID(try row.decode("course_id", as: UUID.self)), try row.decode("ends_on", as: CalendarDate.self))
    }

    private func putRoster(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: TrainingEventID = try request.context.parameters.id("id", what: "training event")
        let body = try RequestFields(request, allowed: ["person_ids"])
        guard body.has("person_ids") else { throw HTTPError.badRequest("Missing field 'person_ids'.", code: "missing_field") }
        let people: [PersonID] = try body.ids("person_ids", max: 1000)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            _ = try await Self.lockOpen(id, in: tx)
            let unknown = try await Self.unknownPeople(people, in: tx)
            guard unknown.isEmpty else {
                throw HTTPError.unprocessable("person_ids names unknown people: \(unknown.map(\.description).joined(separator: ", "))",
                                              code: "unknown_person")
            }
            let before = try await Self.find(id, in: tx)
            try await tx.execute("DELETE FROM training_event_roster WHERE event_id = \(id)")
            try await tx.execute("INSERT INTO training_event_roster (event_id, person_id) SELECT \(id), unnest(\(people.map(\.uuid)))")
            try await tx.execute("UPDATE training_events SET updated_at = now() WHERE id = \(id)")
            let after = try await Self.find(id, in: tx)!
            try await RecordsAudit(request, caller: caller).record("training_event.roster.updated", target: .records("training_event", id),
                                                                   before: before, after: after, in: tx)
            return try .json(after)
        }
    }

    private func complete(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: TrainingEventID = try request.context.parameters.id("id", what: "training event")
        let body = try RequestFields(request, allowed: ["attendance"])
        guard case .array(let items)? = body.values["attendance"] else {
            throw HTTPError.badRequest("Field 'attendance' must be an array.", code: "invalid_field")
        }
        guard items.count <= 1000 else { throw HTTPError.unprocessable("At most 1,000 attendance rows.", code: "too_many") }
        var rows: [AttendanceRules.Row] = []
        var scores: [Double?] = []
        var hours: [Double?] = []
        for item in items {
            do {
                guard case .object(let object) = item else { throw HTTPError.badRequest("A row must be an object.") }
                let fields = try RequestFields(object, allowed: ["person_id", "outcome", "hours", "score"])
                let person: PersonID = try fields.id("person_id")!
                let outcome = try fields.choice("outcome", as: AttendanceOutcome.self)
                let given = try fields.number("hours", required: false)
                hours.append(given)
                scores.append(try fields.score())
                rows.append(AttendanceRules.Row(person: person, outcome: outcome,
                                                quarters: try given.map { hours throws(HTTPError) in try QuarterHours.recordable(hours).value }, problem: nil))
            } catch let error as HTTPError {
                if hours.count > rows.count { hours.removeLast() }
                if scores.count > rows.count { scores.removeLast() }
                hours.append(nil); scores.append(nil)
                rows.append(AttendanceRules.Row(person: nil, outcome: nil, quarters: nil, problem: "\(error.code): \(error.message)"))
            }
        }
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            let event = try await Self.lockOpen(id, in: tx)
            let course = try await CatalogStore.course(event.course, in: tx)!
            let roster = Set(try await tx.query("SELECT person_id FROM training_event_roster WHERE event_id = \(id)")
                .map { PersonID(try $0.decode("person_id", as: UUID.self)) })
            let instructors = try await tx.query("SELECT person_id FROM training_event_instructors WHERE event_id = \(id)")
                .map { PersonID(try $0.decode("person_id", as: UUID.self)) }
            var certified = true
            if let type = course.instructorType {
                for instructor in instructors where try await !CatalogStore.holds(instructor, type: type, on: event.ends, in: tx) { certified = false }
            }
            let problems = AttendanceRules.problems(rows, roster: roster, instructors: Set(instructors), callerPerson: caller.ownPerson,
                                                    instructorsCertified: certified)
            guard problems.isEmpty else { throw InvalidRows(problems: problems) }
            let before = try await Self.find(id, in: tx)
            let instructor = instructors.count == 1 ? instructors[0] : nil
            for (index, row) in rows.enumerated() {
                let person = row.person!, outcome = row.outcome!
                let quarters = row.quarters ?? course.quarters
                var recordID: TrainingRecordID?
                if outcome != .absent {
                    let record = TrainingRecordID()
                    recordID = record
                    try await tx.execute("""
                        INSERT INTO training_records (id, person_id, course_id, event_id, title, completed_on, quarter_hours, category_hours,
                            outcome, score, instructor_person_id, status, source, created_by, updated_by)
                        VALUES (\(record), \(person), \(course.id), \(id), \(course.title), \(event.ends), \(quarters),
                                \(try JSONB(course.categoryQuarters.values.reduce(0, +) <= quarters ? course.categoryQuarters : [:])),
                                \(outcome.rawValue), \(scores[index]), \(instructor), 'approved', 'event', \(caller.user), \(caller.user))
                        """)
                    let after = try await TrainingRecordStore.find(record, in: tx)!
                    try await TrainingRecordStore.appendVersion(record, action: "created", by: caller.user, before: nil, after: after, in: tx)
                }
                try await tx.execute("""
                    UPDATE training_event_roster SET outcome = \(outcome.rawValue), quarter_hours = \(outcome == .absent ? nil : quarters),
                        score = \(scores[index]), training_record_id = \(recordID)
                    WHERE event_id = \(id) AND person_id = \(person)
                    """)
            }
            try await tx.execute("""
                UPDATE training_events SET status = 'completed', completed_at = now(), completed_by = \(caller.user), updated_at = now()
                WHERE id = \(id)
                """)
            let after = try await Self.find(id, in: tx)!
            try await RecordsAudit(request, caller: caller).record("training_event.completed", target: .records("training_event", id),
                                                                   before: before, after: after, in: tx)
            return try .json(after)
        }
    }
}

/// `422 {"error":{"code":"invalid_rows","message","request_id","rows":[{"row","person_id","message"}]}}`.
struct InvalidRows: Error {
    let problems: [AttendanceRules.Problem]

    func response(requestID: String) -> HTTPResponse {
        struct Body: Encodable {
            struct Inner: Encodable {
                let code: String, message: String, requestID: String, rows: [AttendanceRules.Problem]
            }
            let error: Inner
        }
        let body = Body(error: .init(code: "invalid_rows", message: "\(problems.count) attendance rows are invalid; nothing was written.",
                                     requestID: requestID, rows: problems))
        return .jsonBytes((try? JSONCoding.encode(body)) ?? [], status: .unprocessableEntity)
    }
}

/// Answers `InvalidRows` with its body (after the transaction rolled back).
struct InvalidRowsMiddleware: Middleware {
    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        do {
            return try await next(request)
        } catch let invalid as InvalidRows {
            return invalid.response(requestID: request.id)
        }
    }
}
