import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// Operators' routes under `/api/v1/platform`: create, list, suspend and
/// reactivate agencies. Operators never see an agency's users here.
struct PlatformRoutes {
    let services: IdentityRuntime

    struct CreateAgency: Decodable {
        let slug: String
        let name: String
        let adminEmail: String
        let adminName: String
    }

    struct AgencyView: Encodable {
        let id: AgencyID
        let slug: String
        let name: String
        let status: AgencyStatus
        let createdAt: Date

        init(_ agency: AgencyRecord) {
            id = agency.id
            slug = agency.slug
            name = agency.name
            status = agency.status
            createdAt = agency.createdAt
        }
    }

    func register(on api: RouteGroup) {
        api.post("/platform/agencies", bodyLimit: 16 << 10) { request in try await create(request) }
        api.get("/platform/agencies") { request in try await list(request) }
        api.get("/platform/agencies/{id}") { request in
            _ = try services.requireOperator(request)
            return try .json(AgencyView(try await target(request)))
        }
        api.post("/platform/agencies/{id}/suspend", bodyLimit: 1 << 10) { request in
            try await transition(request, from: [.active, .provisioning], to: { _ in .suspended }, action: "agency.suspended")
        }
        api.post("/platform/agencies/{id}/reactivate", bodyLimit: 1 << 10) { request in
            // Back to `provisioning` when a service still lacks its schema: the reconciler finishes it.
            try await transition(request, from: [.suspended], to: { agency in
                AgencyProvisioner.services.allSatisfy { agency.provisionedServices.contains($0.rawValue) } ? .active : .provisioning
            }, action: "agency.reactivated")
        }
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try services.requireOperator(request)
        let body = try request.decode(CreateAgency.self)
        let slug = try AgencySlug.validated(body.slug)
        let name = try PersonName.validated(body.name)
        let adminEmail = try EmailAddress.validated(body.adminEmail, field: "admin_email")
        let adminName = try PersonName.validated(body.adminName, field: "admin_name")
        let id = AgencyID()
        let dataKey = try services.registry.newWrappedDataKey(for: id)
        var created = false
        var response = try await services.db.withAgency(caller.agencyID) { tx in
            try await Idempotency.once(request, actor: caller.userID.uuid, in: tx) {
                let inserted = try await tx.execute("""
                    INSERT INTO \(SchemaName.platform).agencies
                        (id, slug, name, status, data_key, pending_admin_email, pending_admin_name, next_provisioning_at)
                    VALUES (\(id), \(slug.rawValue), \(name), 'provisioning', \(dataKey), \(adminEmail.rawValue), \(adminName),
                            now() + interval '30 seconds')
                    ON CONFLICT (slug) DO NOTHING
                    """)
                guard inserted == 1, let agency = try await services.registry.find(id: id, in: tx) else {
                    throw HTTPError.conflict("An agency with this slug exists.", code: "slug_taken")
                }
                try await AuditTrail(request: request, agency: nil).record(
                    "agency.created", actor: .principal(caller), target: .agency(id),
                    changes: ["slug": AuditChange(before: .null, after: .string(slug.rawValue))], in: tx)
                created = true
                return try .json(AgencyView(agency), status: .created)
            }
        }
        if created, let status = await services.provisioner.advance(id, requestID: request.id),
           let agency = try await services.registry.find(id: id), status != .provisioning {
            response = try .json(AgencyView(agency), status: .created)
        }
        return response
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        _ = try services.requireOperator(request)
        let page = try PageRequest(keyedListOf: request)
        let agencies = try await services.registry.list(after: page.after, limit: page.limit)
        return try .json(ListPage(items: agencies.map(AgencyView.init),
                                  nextCursor: page.nextCursor(after: agencies) { PageCursor([$0.slug]) }))
    }

    private func target(_ request: HTTPRequest) async throws -> AgencyRecord {
        let id: AgencyID = try request.context.parameters.id("id", what: "agency")
        guard let agency = try await services.registry.find(id: id), !agency.isPlatform else { throw HTTPError.notFound("agency") }
        return agency
    }

    private func transition(_ request: HTTPRequest, from: [AgencyStatus], to next: (AgencyRecord) -> AgencyStatus,
                            action: String) async throws -> HTTPResponse {
        let caller = try services.requireOperator(request)
        let agency = try await target(request)
        let to = next(agency)
        try await services.db.transaction { tx in
            guard try await services.registry.transition(agency.id, from: from, to: to, in: tx) else {
                throw HTTPError.conflict("The agency is \(agency.status.rawValue).", code: "invalid_status")
            }
            try await AuditTrail(request: request, agency: nil).record(
                action, actor: .principal(caller), target: .agency(agency.id),
                changes: ["status": AuditChange(before: .string(agency.status.rawValue), after: .string(to.rawValue))], in: tx)
        }
        return try .json(AgencyView(try await target(request)))
    }
}
