import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// Agency admins' templates: `GET /api/v1/notify/templates`, `GET`/`PUT`/`DELETE
/// /api/v1/notify/templates/{name}` (an override of subject and body, validated on
/// save, audited) and `POST /api/v1/notify/templates/{name}/preview` (sample data).
enum TemplateRoutes {
    static func register(on api: RouteGroup, runtime: NotifyRuntime) {
        let pool = runtime.pool
        api.get("/templates") { request in
            let user = try AdminAccess.admin(request)
            let overrides = try await pool.withAgency(user.agencyID) { tx in
                try await TemplateOverrideStore.load(TemplateName.allCases, in: tx)
            }
            let items = TemplateName.allCases.map { TemplateSummary(name: $0, overridden: overrides[$0] != nil, updatedAt: overrides[$0]?.updatedAt) }
            return try .json(ListPage(items: items, nextCursor: nil))
        }

        api.get("/templates/{name}") { request in
            let user = try AdminAccess.admin(request)
            let definition = try definition(request)
            let override = try await pool.withAgency(user.agencyID) { tx in
                try await TemplateOverrideStore.load([definition.name], in: tx)[definition.name]
            }
            return try .json(TemplateView(definition, override: override))
        }

        api.put("/templates/{name}", bodyLimit: 64 << 10) { request in
            let user = try AdminAccess.admin(request, changing: true)
            let definition = try definition(request)
            let change = try request.decode(TemplateChange.self)
            do {
                _ = try TemplateOverride.validated(subject: change.subject, body: change.body, for: definition)
            } catch {
                throw HTTPError.unprocessable("\(error)", code: "invalid_template")
            }
            let name = definition.name
            let saved = try await pool.withAgency(user.agencyID) { tx in
                let before = try await TemplateOverrideStore.load([name], in: tx)[name]
                try await TemplateOverrideStore.save(name, subject: change.subject, body: change.body, by: user.userID, in: tx)
                try await AuditTrail(request, agency: user.agencyID).record(
                    "email.template.updated", actor: .principal(user), target: AuditTarget(type: "email_template", id: name.rawValue),
                    changes: [
                    "subject": AuditChange(before: .string(before?.subject ?? definition.subject.source), after: .string(change.subject)),
                    "body": AuditChange(before: .string(before?.body ?? definition.body.source), after: .string(change.body)),
                ], in: tx)
                return try await TemplateOverrideStore.load([name], in: tx)[name]
            }
            return try .json(TemplateView(definition, override: saved))
        }

        api.delete("/templates/{name}") { request in
            let user = try AdminAccess.admin(request, changing: true)
            let definition = try definition(request)
            let name = definition.name
            try await pool.withAgency(user.agencyID) { tx in
                guard let before = try await TemplateOverrideStore.load([name], in: tx)[name] else { return }
                _ = try await TemplateOverrideStore.delete(name, in: tx)
                try await AuditTrail(request, agency: user.agencyID).record(
                    "email.template.reset", actor: .principal(user), target: AuditTarget(type: "email_template", id: name.rawValue),
                    changes: [
                    "subject": AuditChange(before: .string(before.subject), after: .string(definition.subject.source)),
                    "body": AuditChange(before: .string(before.body), after: .string(definition.body.source)),
                ], in: tx)
            }
            return HTTPResponse(status: .noContent)
        }

        api.post("/templates/{name}/preview", bodyLimit: 64 << 10) { request in
            let user = try AdminAccess.admin(request)
            let definition = try definition(request)
            let draft = request.body.isEmpty ? TemplateDraft() : try request.decode(TemplateDraft.self)
            let (profile, stored) = try await pool.withAgency(user.agencyID) { tx in
                (try await AgencyProfileStore.load(in: tx), try await TemplateOverrideStore.load([definition.name], in: tx)[definition.name])
            }
            var override = stored?.parsed
            if draft.subject != nil || draft.body != nil {
                do {
                    override = try TemplateOverride.validated(subject: draft.subject ?? stored?.subject ?? definition.subject.source,
                                                              body: draft.body ?? stored?.body ?? definition.body.source, for: definition)
                } catch {
                    throw HTTPError.unprocessable("\(error)", code: "invalid_template")
                }
            }
            let inputs = TemplateInputs.sample(agencyName: profile.displayName, publicURL: runtime.configuration.publicURL)
            return try .json(TemplateRenderer.render(definition, override: override, inputs: inputs))
        }
    }

    /// The template the path names; an unknown name is `404`.
    private static func definition(_ request: HTTPRequest) throws(HTTPError) -> TemplateDefinition {
        guard let name = request.parameter("name").flatMap(TemplateName.init(rawValue:)) else { throw .notFound("template") }
        return .builtIn(name)
    }
}
