import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// `/api/v1/units`: the agency's unit tree and who supervises each unit.
/// Everyone of the agency reads it; coordinators and admins change it.
struct UnitRoutes {
    let services: RecordsRuntime

    static let json: SQL = """
        jsonb_build_object('id', u.id, 'name', u.name, 'parent_id', u.parent_id,
            'supervisor_user_ids', (SELECT coalesce(jsonb_agg(s.user_id ORDER BY s.user_id), '[]'::jsonb)
                                    FROM unit_supervisors s WHERE s.unit_id = u.id),
            'created_at', \(JSONRows.time("u.created_at")), 'updated_at', \(JSONRows.time("u.updated_at")))::text AS json
        """

    func register(on api: RouteGroup) {
        api.post("/units", bodyLimit: 16 << 10) { request in try await create(request) }
        api.get("/units") { request in try await list(request) }
        api.get("/units/{id}") { request in try await read(request) }
        api.patch("/units/{id}", bodyLimit: 16 << 10) { request in try await change(request) }
        api.delete("/units/{id}") { request in try await remove(request) }
        api.put("/units/{id}/supervisors/{user_id}", bodyLimit: 1 << 10) { request in try await assign(request) }
        api.delete("/units/{id}/supervisors/{user_id}") { request in try await unassign(request) }
    }

    static func find(_ id: UnitID, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(json) FROM units u WHERE u.id = \(id)"))
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["name", "parent_id"])
        let name = try body.text("name", max: 200)!
        let parent: UnitID? = try body.id("parent_id", required: false)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                if let parent { try await requireUnit(parent, in: tx) }
                let id = UnitID()
                try await tx.execute("INSERT INTO units (id, name, parent_id) VALUES (\(id), \(name), \(parent))")
                let after = try await Self.find(id, in: tx)
                try await RecordsAudit(request, caller: caller).record("unit.created", target: .records("unit", id), before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            return try JSONRows.list(try await tx.query("SELECT \(Self.json) FROM units u ORDER BY lower(u.name), u.id"))
        }
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: UnitID = try request.context.parameters.id("id", what: "unit")
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            guard let unit = try await Self.find(id, in: tx) else { throw HTTPError.notFound("unit") }
            return try .json(unit)
        }
    }

    private func change(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: UnitID = try request.context.parameters.id("id", what: "unit")
        let body = try RequestFields(request, allowed: ["name", "parent_id"])
        let name = try body.text("name", required: false, max: 200)
        let parent: UnitID? = try body.id("parent_id", required: false)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let before = try JSONRows.object(try await tx.query("SELECT \(Self.json) FROM units u WHERE u.id = \(id) FOR UPDATE")) else {
                throw HTTPError.notFound("unit")
            }
            if body.has("parent_id"), let parent {
                try await requireUnit(parent, in: tx)
                let below = try await tx.query("""
                    WITH RECURSIVE below AS (SELECT \(id)::uuid AS id UNION SELECT u.id FROM units u JOIN below ON u.parent_id = below.id)
                    SELECT 1 FROM below WHERE id = \(parent)
                    """)
                guard below.isEmpty else {
                    throw HTTPError.unprocessable("A unit cannot be placed under itself or a unit below it.", code: "unit_cycle")
                }
            }
            try await tx.execute("""
                UPDATE units SET name = coalesce(\(name), name),
                    parent_id = CASE WHEN \(body.has("parent_id")) THEN \(parent) ELSE parent_id END, updated_at = now()
                WHERE id = \(id)
                """)
            let after = try await Self.find(id, in: tx)
            try await RecordsAudit(request, caller: caller).record("unit.updated", target: .records("unit", id), before: before, after: after, in: tx)
            return try .json(after)
        }
    }

    private func remove(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: UnitID = try request.context.parameters.id("id", what: "unit")
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let before = try JSONRows.object(try await tx.query("SELECT \(Self.json) FROM units u WHERE u.id = \(id) FOR UPDATE")) else {
                throw HTTPError.notFound("unit")
            }
            let used = try await tx.query("""
                SELECT EXISTS (SELECT 1 FROM personnel WHERE unit_id = \(id)) OR EXISTS (SELECT 1 FROM units WHERE parent_id = \(id)) AS used
                """)[0].decode("used", as: Bool.self)
            guard !used else { throw HTTPError.conflict("The unit still has people or units below it.", code: "unit_not_empty") }
            try await tx.execute("DELETE FROM unit_supervisors WHERE unit_id = \(id)")
            try await tx.execute("DELETE FROM units WHERE id = \(id)")
            try await RecordsAudit(request, caller: caller).record("unit.deleted", target: .records("unit", id), before: before, after: nil, in: tx)
            return HTTPResponse(status: .noContent)
        }
    }

    private func assign(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: UnitID = try request.context.parameters.id("id", what: "unit")
        let userID: UserID = try request.context.parameters.id("user_id", what: "user")
        let principal = try request.context.requireUser()
        // Identity is asked before the transaction opens: no connection waits on another service.
        let user = RecordsAccess.writerRoles.isDisjoint(with: principal.roles) ? nil
            : try await IdentityUsers.find(userID, agency: principal.agencyID, services: services, request: request)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let before = try await Self.find(id, in: tx) else { throw HTTPError.notFound("unit") }
            guard let user, user.status == "active", user.roles.contains(.supervisor) else {
                throw HTTPError.unprocessable("The user must be an active user of the agency holding the supervisor role.",
                                              code: "invalid_supervisor")
            }
            let added = try await tx.execute("""
                INSERT INTO unit_supervisors (unit_id, user_id, created_by) VALUES (\(id), \(userID), \(caller.user)) ON CONFLICT DO NOTHING
                """)
            if added > 0 {
                try await RecordsAudit(request, caller: caller).record("unit.supervisor.assigned", target: .records("unit", id),
                                                                       before: before, after: try await Self.find(id, in: tx), in: tx)
            }
            return HTTPResponse(status: .noContent)
        }
    }

    private func unassign(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: UnitID = try request.context.parameters.id("id", what: "unit")
        let userID: UserID = try request.context.parameters.id("user_id", what: "user")
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let before = try await Self.find(id, in: tx) else { throw HTTPError.notFound("unit") }
            guard try await tx.execute("DELETE FROM unit_supervisors WHERE unit_id = \(id) AND user_id = \(userID)") > 0 else {
                throw HTTPError.notFound("supervisor of this unit")
            }
            try await RecordsAudit(request, caller: caller).record("unit.supervisor.removed", target: .records("unit", id),
                                                                   before: before, after: try await Self.find(id, in: tx), in: tx)
            return HTTPResponse(status: .noContent)
        }
    }

    private func requireUnit(_ id: UnitID, in tx: Transaction) async throws {
        guard try await !tx.query("SELECT 1 FROM units WHERE id = \(id)").isEmpty else {
            throw HTTPError.unprocessable("parent_id names no unit of the agency.", code: "unknown_unit")
        }
    }
}
