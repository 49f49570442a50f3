import MusterContracts
import MusterCore
import MusterHTTP

/// `GET /api/v1/audit/retention` → `{"retention_years":7}`; `PUT` with the same
/// shape (agency admins only; 1…100 years, default 7). The change is recorded in
/// the chain in the same transaction (`audit.retention.changed`, before/after).
enum RetentionRoutes {
    struct Setting: Codable, Sendable {
        let retentionYears: Int
    }

    static func register(on api: RouteGroup, audit: AuditRuntime) {
        api.get("/retention") { request in
            let reader = try AuditAccess.reader(request)
            let policy = try await ChainErrors.mapping {
                try await audit.events.pool.withChain(reader.chain) { tx in try await AgencySettingKeys.retentionPolicy(in: tx) }
            }
            return try .json(Setting(retentionYears: policy.years))
        }
        api.put("/retention", bodyLimit: 4 << 10) { request in
            let manager = try AuditAccess.manager(request)
            let wanted = try request.decode(Setting.self)
            let policy: RetentionPolicy
            do throws(RetentionPolicy.Invalid) {
                policy = try RetentionPolicy(years: wanted.retentionYears)
            } catch {
                throw HTTPError.unprocessable(error.message)
            }
            try await ChainErrors.mapping {
                try await audit.events.pool.withChain(manager.chain) { tx in
                    let before = try await AgencySettingKeys.retentionPolicy(in: tx)
                    try await tx.set(AgencySettingKeys.retentionYears, to: policy.years)
                    let event = manager.event("audit.retention.changed", target: AuditTarget(type: "audit_settings", id: "retention"),
                                              request: request, changes: [
                                                  "retention_years": AuditChange(before: .number(Double(before.years)),
                                                                                 after: .number(Double(policy.years))),
                                              ])
                    _ = try await audit.events.append([try EventNormalizer.normalize(event)], in: tx, at: .now())
                }
            }
            return try .json(Setting(retentionYears: policy.years))
        }
    }
}
