import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/requirements`: what the agency requires, as data (spec: Requirements). Everyone
/// of the agency reads them; coordinators and admins write them. A change is a new version
/// from its `effective_from` (the previous version ends the day before and keeps judging
/// the periods it governed); `DELETE` ends the requirement (`effective_to`, default today).
struct RequirementRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.post("/requirements", bodyLimit: 64 << 10) { request in try await create(request) }
        api.get("/requirements") { request in try await list(request) }
        api.get("/requirements/{id}") { request in try await read(request) }
        api.put("/requirements/{id}", bodyLimit: 64 << 10) { request in try await change(request) }
        api.delete("/requirements/{id}") { request in try await end(request) }
    }

    static func code(_ body: RequestFields) throws(HTTPError) -> String {
        let code = try body.text("code", max: 60)!
        guard code.wholeMatch(of: /[a-z][a-z0-9_]{1,59}/) != nil else {
            throw RequirementInput.invalid("code", "must be 2–60 lower-case letters, digits or _, starting with a letter")
        }
        return code
    }

    /// `date`, or today in the agency's zone.
    private static func orToday(_ date: CalendarDate?, in tx: Transaction) async throws -> CalendarDate {
        if let date { return date }
        return try await RecordsSettings.timeZone(in: tx).today()
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: RequirementInput.creating)
        let code = try Self.code(body)
        let kind = try body.choice("kind", as: RequirementKind.self)!
        let input = try RequirementInput(body, kind: kind)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                _ = try await input.params(in: tx)
                let from = try await Self.orToday(input.effectiveFrom, in: tx)
                if let to = input.effectiveTo, to < from { throw RequirementInput.invalid("effective_to", "must be on or after effective_from") }
                let id = RequirementID()
                let inserted = try await tx.query("""
                    INSERT INTO requirements (id, code, kind, created_by) VALUES (\(id), \(code), \(kind.rawValue), \(caller.user))
                    ON CONFLICT (code) DO NOTHING RETURNING id
                    """)
                guard !inserted.isEmpty else { throw HTTPError.conflict("That code is already in use.", code: "code_taken") }
                try await RequirementStore.insertVersion(id, number: 1, name: input.name, params: input.paramsJSON, ranks: input.ranks,
                                                         units: input.unitIDs, from: from, to: input.effectiveTo,
                                                         dueSoonDays: input.dueSoonDays, mandatory: input.mandatory, by: caller.user, in: tx)
                let after = try await RequirementStore.find(id, in: tx)
                try await RecordsAudit(request, caller: caller).record("requirement.created", target: .records("requirement", id),
                                                                       before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            return try JSONRows.list(try await tx.query("SELECT \(RequirementStore.json(versions: false)) \(RequirementStore.latest) ORDER BY r.code"))
        }
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: RequirementID = try request.context.parameters.id("id", what: "requirement")
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            guard let found = try await RequirementStore.find(id, versions: true, in: tx) else { throw HTTPError.notFound("requirement") }
            return try .json(found)
        }
    }

    /// A new version from its `effective_from`, which must be after the latest version's.
    private func change(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: RequirementID = try request.context.parameters.id("id", what: "requirement")
        let body = try RequestFields(request, allowed: RequirementInput.changing)
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let latest = try await RequirementStore.latestForUpdate(id, in: tx) else { throw HTTPError.notFound("requirement") }
            if body.has("kind"), try body.choice("kind", as: RequirementKind.self) != latest.kind {
                throw RequirementInput.invalid("kind", "cannot change (a requirement keeps its kind across versions)")
            }
            if body.has("code"), try Self.code(body) != latest.code { throw RequirementInput.invalid("code", "cannot change") }
            let input = try RequirementInput(body, kind: latest.kind)
            _ = try await input.params(in: tx)
            let from = try await Self.orToday(input.effectiveFrom, in: tx)
            guard from > latest.effectiveFrom else {
                throw RequirementInput.invalid("effective_from", "must be after the latest version's (\(latest.effectiveFrom))")
            }
            if let to = input.effectiveTo, to < from { throw RequirementInput.invalid("effective_to", "must be on or after effective_from") }
            let before = try await RequirementStore.find(id, in: tx)
            // The previous version ends the day before the new one starts (it keeps judging what it governed).
            try await tx.execute("""
                UPDATE requirement_versions SET effective_to = \(from.addingDays(-1))
                WHERE requirement_id = \(id) AND version = \(latest.version) AND (effective_to IS NULL OR effective_to >= \(from))
                """)
            try await RequirementStore.insertVersion(id, number: latest.version + 1, name: input.name, params: input.paramsJSON,
                                                     ranks: input.ranks, units: input.unitIDs, from: from, to: input.effectiveTo,
                                                     dueSoonDays: input.dueSoonDays, mandatory: input.mandatory, by: caller.user, in: tx)
            try await tx.execute("UPDATE requirements SET updated_at = now() WHERE id = \(id)")
            let after = try await RequirementStore.find(id, in: tx)
            try await RecordsAudit(request, caller: caller).record("requirement.changed", target: .records("requirement", id),
                                                                   before: before, after: after, in: tx)
            return try .json(try await RequirementStore.find(id, versions: true, in: tx))
        }
    }

    /// Ends the requirement on `?effective_to=` (default today): its latest version's last day.
    private func end(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: RequirementID = try request.context.parameters.id("id", what: "requirement")
        let given = try request.query["effective_to"].map { text throws(HTTPError) -> CalendarDate in
            guard let date = CalendarDate(text) else { throw HTTPError.badRequest("effective_to is not a date (YYYY-MM-DD).", code: "invalid_date") }
            return date
        }
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            guard let latest = try await RequirementStore.latestForUpdate(id, in: tx) else { throw HTTPError.notFound("requirement") }
            let to = try await Self.orToday(given, in: tx)
            if let ended = latest.effectiveTo, ended <= to {
                throw HTTPError.conflict("The requirement already ends on \(ended).", code: "requirement_ended")
            }
            guard to >= latest.effectiveFrom else {
                throw RequirementInput.invalid("effective_to", "must be on or after the latest version's effective_from (\(latest.effectiveFrom))")
            }
            let before = try await RequirementStore.find(id, in: tx)
            try await tx.execute("UPDATE requirement_versions SET effective_to = \(to) WHERE requirement_id = \(id) AND version = \(latest.version)")
            try await tx.execute("UPDATE requirements SET updated_at = now() WHERE id = \(id)")
            let after = try await RequirementStore.find(id, in: tx)
            try await RecordsAudit(request, caller: caller).record("requirement.ended", target: .records("requirement", id),
                                                                   before: before, after: after, in: tx)
            return try .json(after)
        }
    }
}
