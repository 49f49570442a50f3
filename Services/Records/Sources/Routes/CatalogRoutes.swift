import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// `/api/v1/categories`, `/api/v1/certification-types`, `/api/v1/courses`: the
/// agency's training catalog. Everyone of the agency reads it; coordinators and admins write it.
struct CatalogRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.post("/categories", bodyLimit: 16 << 10) { request in try await createCategory(request) }
        api.get("/categories") { request in try await listAll(request, "SELECT \(CatalogStore.categoryJSON) FROM categories c ORDER BY c.code") }
        api.post("/certification-types", bodyLimit: 16 << 10) { request in try await createType(request) }
        api.get("/certification-types") { request in
            try await listAll(request, "SELECT \(CatalogStore.typeJSON) FROM certification_types t ORDER BY t.code")
        }
        api.post("/courses", bodyLimit: 64 << 10) { request in try await createCourse(request) }
        api.get("/courses") { request in try await listCourses(request) }
        api.get("/courses/{id}") { request in try await readCourse(request) }
        api.patch("/courses/{id}", bodyLimit: 64 << 10) { request in try await changeCourse(request) }
    }

    private func code(_ body: RequestFields) throws(HTTPError) -> String {
        let code = try body.text("code", max: 40)!
        guard code.wholeMatch(of: /[a-z][a-z0-9_]{1,39}/) != nil else {
            throw HTTPError.unprocessable("code must be 2–40 lower-case letters, digits or _, starting with a letter.", code: "invalid_code")
        }
        return code
    }

    private func listAll(_ request: HTTPRequest, _ sql: SQL) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            return try JSONRows.list(try await tx.query(sql))
        }
    }

    private func created(_ request: HTTPRequest, action: String, type: String, insert: @escaping (Transaction, RecordsCaller) async throws -> SQL)
        async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                let select = try await insert(tx, caller)
                guard let after = try JSONRows.object(try await tx.query(select)) else { throw HTTPError.internalError }
                try await RecordsAudit(request, caller: caller).record(action, target: .records(type, after["id"].map(Self.text) ?? ""),
                                                                       before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private static func text(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    private func createCategory(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["code", "name"])
        let code = try code(body), name = try body.text("name", max: 200)!
        return try await created(request, action: "category.created", type: "category") { tx, _ in
            let id = CategoryID()
            try await Self.unique("code_taken", "That code is already in use.") {
                try await tx.execute("INSERT INTO categories (id, code, name) VALUES (\(id), \(code), \(name))")
            }
            return "SELECT \(CatalogStore.categoryJSON) FROM categories c WHERE c.id = \(id)"
        }
    }

    private func createType(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["code", "name", "validity_months"])
        let code = try code(body), name = try body.text("name", max: 200)!
        let months = try body.integer("validity_months", required: false)
        if let months, !(1...1200).contains(months) {
            throw HTTPError.unprocessable("validity_months must be from 1 to 1200 (or null: never expires).", code: "invalid_validity_months")
        }
        return try await created(request, action: "certification_type.created", type: "certification_type") { tx, _ in
            let id = CertificationTypeID()
            try await Self.unique("code_taken", "That code is already in use.") {
                try await tx.execute("INSERT INTO certification_types (id, code, name, validity_months) VALUES (\(id), \(code), \(name), \(months))")
            }
            return "SELECT \(CatalogStore.typeJSON) FROM certification_types t WHERE t.id = \(id)"
        }
    }

    /// The course fields a body sets, validated against the agency's categories and types.
    private struct CourseValues {
        var code: String?, title: String?, provider: String?, stateNumber: String?
        var quarters: Int?, split: [String: Double]?, instructorType: CertificationTypeID?
    }

    private func courseValues(_ body: RequestFields, creating: Bool) throws(HTTPError) -> CourseValues {
        var values = CourseValues()
        values.code = try body.text("code", required: creating, max: 40)
        values.title = try body.text("title", required: creating, max: 300)
        values.provider = try body.text("provider", required: false, max: 200)
        values.stateNumber = try body.text("state_course_number", required: false, max: 100)
        values.quarters = try body.number("hours", required: creating).map { hours throws(HTTPError) in try QuarterHours.recordable(hours).value }
        values.split = try body.numbers("category_hours")
        values.instructorType = try body.id("instructor_certification_type_id", required: false)
        return values
    }

    private func checkedSplit(_ values: CourseValues, totalQuarters: Int, in tx: Transaction) async throws -> [String: Int]? {
        if let type = values.instructorType,
           try await tx.query("SELECT 1 FROM certification_types WHERE id = \(type)").isEmpty {
            throw HTTPError.unprocessable("instructor_certification_type_id names no certification type.", code: "unknown_certification_type")
        }
        guard let split = values.split else { return nil }
        return try QuarterHours.split(split, totalQuarters: totalQuarters, known: try await CatalogStore.categoryCodes(in: tx))
    }

    private func createCourse(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["code", "title", "hours", "category_hours", "provider", "state_course_number",
                                                        "instructor_certification_type_id"])
        let values = try courseValues(body, creating: true)
        return try await created(request, action: "course.created", type: "course") { tx, _ in
            let split = try await checkedSplit(values, totalQuarters: values.quarters!, in: tx) ?? [:]
            let id = CourseID()
            try await Self.unique("code_taken", "That course code is already in use.") {
                try await tx.execute("""
                    INSERT INTO courses (id, code, title, quarter_hours, category_hours, provider, state_course_number, instructor_certification_type_id)
                    VALUES (\(id), \(values.code), \(values.title), \(values.quarters), \(try JSONB(split)), \(values.provider),
                            \(values.stateNumber), \(values.instructorType))
                    """)
            }
            return "SELECT \(CatalogStore.courseJSON) FROM courses c WHERE c.id = \(id)"
        }
    }

    private func listCourses(_ request: HTTPRequest) async throws -> HTTPResponse {
        let text = (request.query["q"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard text.count <= 100 else { throw HTTPError.badRequest("q is too long.", code: "invalid_filter") }
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await listAll(request, """
            SELECT \(CatalogStore.courseJSON) FROM courses c
            WHERE \(text.isEmpty) OR lower(c.code) LIKE \(pattern) OR lower(c.title) LIKE \(pattern) ORDER BY c.code
            """)
    }

    private func readCourse(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: CourseID = try request.context.parameters.id("id", what: "course")
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            guard let course = try await CatalogStore.findCourse(id, in: tx) else { throw HTTPError.notFound("course") }
            return try .json(course)
        }
    }

    private func changeCourse(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: CourseID = try request.context.parameters.id("id", what: "course")
        let body = try RequestFields(request, allowed: ["code", "title", "hours", "category_hours", "provider", "state_course_number",
                                                        "instructor_certification_type_id"])
        let values = try courseValues(body, creating: false)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let before = try await CatalogStore.findCourse(id, in: tx),
                  let course = try await CatalogStore.course(id, in: tx) else { throw HTTPError.notFound("course") }
            let total = values.quarters ?? course.quarters
            let split = try await checkedSplit(values, totalQuarters: total, in: tx)
            if split == nil, course.categoryQuarters.values.reduce(0, +) > total {
                throw HTTPError.unprocessable("category_hours add up to more than hours.", code: "invalid_category_hours")
            }
            func keep(_ field: String) -> Bool { !body.has(field) }
            try await Self.unique("code_taken", "That course code is already in use.") {
                try await tx.execute("""
                    UPDATE courses SET code = coalesce(\(values.code), code), title = coalesce(\(values.title), title),
                        quarter_hours = \(total), category_hours = coalesce(\(try split.map { try JSONB($0) }), category_hours),
                        provider = CASE WHEN \(keep("provider")) THEN provider ELSE \(values.provider) END,
                        state_course_number = CASE WHEN \(keep("state_course_number")) THEN state_course_number ELSE \(values.stateNumber) END,
                        instructor_certification_type_id = CASE WHEN \(keep("instructor_certification_type_id"))
                            THEN instructor_certification_type_id ELSE \(values.instructorType) END,
                        version = version + 1, updated_at = now()
                    WHERE id = \(id)
                    """)
            }
            let after = try await CatalogStore.findCourse(id, in: tx)
            try await RecordsAudit(request, caller: caller).record("course.updated", target: .records("course", id), before: before, after: after, in: tx)
            return try .json(after)
        }
    }

    static func unique(_ code: String, _ message: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw HTTPError.conflict(message, code: code)
        }
    }
}
