import Foundation
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `GET /api/v1/requirement-packs` (the shipped state rule packs, with their sources and
/// caveat) and `POST /api/v1/requirement-packs/{code}/apply` (coordinators and admins):
/// creates the pack's categories and requirements that the agency lacks, by code, so a
/// second apply changes nothing. Body (optional): `{"effective_from"}` — default the rule's
/// own date when the pack has one, else 2000-01-01 (the rule judges every period of the
/// agency's records).
struct RulePackRoutes {
    let services: RecordsRuntime
    let packs: [RulePack]

    static let defaultEffectiveFrom = CalendarDate("2000-01-01")!

    func register(on api: RouteGroup) {
        api.get("/requirement-packs") { request in try await list(request) }
        api.post("/requirement-packs/{code}/apply", bodyLimit: 4 << 10) { request in try await apply(request) }
    }

    struct PackView: Encodable {
        let code: String, name: String, jurisdiction: String, label: String, lastChecked: CalendarDate
        let categories: [CategoryView]
        let requirements: [RequirementView]
    }

    struct CategoryView: Encodable { let code: String, name: String }

    struct RequirementView: Encodable {
        let code: String, name: String, kind: RequirementKind, params: JSONValue, dueSoonDays: Int, mandatory: Bool
        let effectiveFrom: CalendarDate?
        let source: SourceView
        let lastChecked: CalendarDate
        let notes: String
    }

    struct SourceView: Encodable { let citation: String, url: String }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, _ in try RecordsAccess.requireMember(caller) }
        return try .json(ListPage(items: packs.map(Self.view), nextCursor: nil))
    }

    static func view(_ pack: RulePack) -> PackView {
        PackView(code: pack.code, name: pack.name, jurisdiction: pack.jurisdiction, label: pack.label, lastChecked: pack.lastChecked,
                 categories: pack.categories.map { CategoryView(code: $0.code, name: $0.name) },
                 requirements: pack.requirements.map {
                     RequirementView(code: $0.code, name: $0.name, kind: $0.kind, params: $0.paramsJSON, dueSoonDays: $0.dueSoonDays,
                                     mandatory: $0.mandatory, effectiveFrom: $0.effectiveFrom,
                                     source: SourceView(citation: $0.source.citation, url: $0.source.url), lastChecked: $0.lastChecked,
                                     notes: $0.notes)
                 })
    }

    struct Applied: Encodable {
        let pack: String
        let categoriesCreated: [String]
        let requirementsCreated: [String]
        let requirementsExisting: [String]
    }

    private func apply(_ request: HTTPRequest) async throws -> HTTPResponse {
        let code = request.context.parameters["code"] ?? ""
        guard let pack = packs.first(where: { $0.code == code }) else { throw HTTPError.notFound("requirement pack") }
        let given: CalendarDate?
        if request.body.isEmpty {
            given = nil
        } else {
            given = try RequestFields(request, allowed: ["effective_from"]).date("effective_from", required: false)
        }
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            let audit = try RecordsAudit(request, caller: caller)
            var categories: [String] = []
            for category in pack.categories {
                let id = CategoryID()
                let inserted = try await tx.query("""
                    INSERT INTO categories (id, code, name) VALUES (\(id), \(category.code), \(category.name))
                    ON CONFLICT (code) DO NOTHING RETURNING id
                    """)
                guard !inserted.isEmpty else { continue }
                categories.append(category.code)
                try await audit.record("category.created", target: .records("category", id), before: nil,
                                       after: ["id": .string(id.description), "code": .string(category.code), "name": .string(category.name)],
                                       in: tx)
            }
            var created: [String] = [], existing: [String] = []
            for requirement in pack.requirements {
                let id = RequirementID()
                let inserted = try await tx.query("""
                    INSERT INTO requirements (id, code, kind, pack, created_by) VALUES (\(id), \(requirement.code), \(requirement.kind.rawValue),
                                                                                    \(pack.code), \(caller.user))
                    ON CONFLICT (code) DO NOTHING RETURNING id
                    """)
                guard !inserted.isEmpty else {
                    existing.append(requirement.code)
                    continue
                }
                try await RequirementStore.insertVersion(id, number: 1, name: requirement.name, params: requirement.paramsJSON, ranks: nil,
                                                         units: nil, from: given ?? requirement.effectiveFrom ?? Self.defaultEffectiveFrom,
                                                         to: nil, dueSoonDays: requirement.dueSoonDays, mandatory: requirement.mandatory,
                                                         by: caller.user, in: tx)
                try await audit.record("requirement.created", target: .records("requirement", id), before: nil,
                                       after: try await RequirementStore.find(id, in: tx), reason: "rule pack \(pack.code)", in: tx)
                created.append(id.description)
            }
            try await audit.record("requirement_pack.applied", target: .records("requirement_pack", pack.code),
                                   reason: "\(categories.count) categories and \(created.count) requirements created", in: tx)
            return try .json(Applied(pack: pack.code, categoriesCreated: categories, requirementsCreated: created, requirementsExisting: existing))
        }
    }
}
