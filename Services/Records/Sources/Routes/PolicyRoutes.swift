import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterService
import MusterTime

/// `/api/v1/policies`: the agency's policies and their published versions. A
/// version's document (PDF or Markdown, ≤ 10 MiB) is the raw body of
/// `POST /policies/{id}/versions?published_on=YYYY-MM-DD` (default: today), sealed
/// at rest like evidence (``FileSealer``, kind `policy-version`) and known by its
/// SHA-256, which every acknowledgement binds to. Coordinators and admins write;
/// everyone of the agency reads, and each download of a document is audited.
struct PolicyRoutes {
    let services: RecordsRuntime

    static let sealedKind = "policy-version"

    /// `{"version","sha256","published_on"}`.
    struct Published: Encodable {
        let version: Int
        let sha256: String
        let publishedOn: CalendarDate
    }

    func register(on api: RouteGroup) {
        api.post("/policies", bodyLimit: 16 << 10) { request in try await create(request) }
        api.get("/policies") { request in try await list(request) }
        api.get("/policies/{id}") { request in try await read(request) }
        api.post("/policies/{id}/versions", bodyLimit: PolicyDocumentType.maximumSize) { request in try await publish(request) }
        api.get("/policies/{id}/versions/{version}/document") { request in try await document(request) }
    }

    static func find(_ id: PolicyID, in tx: Transaction) async throws -> [String: JSONValue]? {
        try JSONRows.object(try await tx.query("SELECT \(PolicyStore.policyJSON) FROM policies p WHERE p.id = \(id)"))
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["code", "title"])
        let code = try body.text("code", max: 60)!
        guard code.wholeMatch(of: /[a-z][a-z0-9_]{1,59}/) != nil else {
            throw HTTPError.unprocessable("code must be 2–60 lower-case letters, digits or _, starting with a letter.", code: "invalid_code")
        }
        let title = try body.text("title", max: 300)!
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                let id = PolicyID()
                try await CatalogRoutes.unique("code_taken", "That policy code is already in use.") {
                    try await tx.execute("INSERT INTO policies (id, code, title, created_by) VALUES (\(id), \(code), \(title), \(caller.user))")
                }
                let after = try await Self.find(id, in: tx)
                try await RecordsAudit(request, caller: caller).record("policy.created", target: .records("policy", id), before: nil, after: after, in: tx)
                return try .json(after, status: .created)
            }
        }
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            return try JSONRows.list(try await tx.query("SELECT \(PolicyStore.policyJSON) FROM policies p ORDER BY p.code"))
        }
    }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PolicyID = try request.context.parameters.id("id", what: "policy")
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            guard let policy = try await Self.find(id, in: tx) else { throw HTTPError.notFound("policy") }
            return try .json(policy)
        }
    }

    private func publish(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PolicyID = try request.context.parameters.id("id", what: "policy")
        guard let type = request.headers["Content-Type"].flatMap(PolicyDocumentType.init(contentType:)) else {
            throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "Content-Type must be application/pdf or text/markdown.")
        }
        let bytes = request.body
        guard !bytes.isEmpty else { throw HTTPError.badRequest("The document is empty.", code: "empty_file") }
        guard type.matches(bytes) else {
            throw HTTPError(.unsupportedMediaType, code: "content_type_mismatch",
                            message: type == .pdf ? "The document's first bytes are not a PDF's." : "The document is not UTF-8 text.")
        }
        let published = try request.query["published_on"].map { text throws(HTTPError) in
            guard let date = CalendarDate(text) else { throw HTTPError.badRequest("published_on must be a date (YYYY-MM-DD).", code: "invalid_query") }
            return date
        }
        let user = try request.context.requireUser()
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireWriter(caller)
            return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                guard try await PolicyStore.exists(id, lock: true, in: tx) else { throw HTTPError.notFound("policy") }
                let today = try await RecordsSettings.timeZone(in: tx).today()
                let publishedOn = published ?? today
                let number = try await tx.query("SELECT coalesce(max(version), 0) + 1 AS n FROM policy_versions WHERE policy_id = \(id)")[0]
                    .decode("n", as: Int.self)
                let versionID = UUID()
                let digest = SHA256.hash(bytes)
                let sealed = try await services.sealer.seal(bytes, kind: Self.sealedKind, id: versionID, agency: user.agencyID, in: tx)
                try await tx.execute("""
                    INSERT INTO policy_versions (id, policy_id, version, content_type, size, sha256, sealed, published_on, created_by)
                    VALUES (\(versionID), \(id), \(number), \(type.rawValue), \(bytes.count), \(digest), \(sealed), \(publishedOn), \(caller.user))
                    """)
                let result = Published(version: number, sha256: Hex.encode(digest), publishedOn: publishedOn)
                try await RecordsAudit(request, caller: caller).record(
                    "policy.version.published", target: .records("policy", id), before: nil,
                    after: ["version": .number(Double(number)), "sha256": .string(result.sha256), "published_on": .string(publishedOn.description),
                            "content_type": .string(type.rawValue), "size": .number(Double(bytes.count))], in: tx)
                return try .json(result, status: .created)
            }
        }
    }

    private func document(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id: PolicyID = try request.context.parameters.id("id", what: "policy")
        guard let number = request.parameter("version").flatMap(Int.init), number >= 1 else { throw HTTPError.notFound("policy version") }
        let user = try request.context.requireUser()
        return try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            guard let version = try await PolicyStore.version(number, of: id, sealed: true, in: tx), let sealed = version.sealed,
                  let type = PolicyDocumentType(rawValue: version.contentType) else { throw HTTPError.notFound("policy version") }
            let bytes = try await services.sealer.open(sealed, kind: Self.sealedKind, id: version.id, agency: user.agencyID, in: tx)
            try await RecordsAudit(request, caller: caller).record("policy.document.read", target: .records("policy", id),
                                                                  reason: "version \(number)", in: tx)
            var headers = HTTPHeaders()
            headers.add("Content-Type", type.servedContentType)
            headers.add("Content-Disposition", AttachmentRoutes.disposition("policy-\(id)-v\(number).\(type == .pdf ? "pdf" : "md")"))
            headers.add("X-Content-Type-Options", "nosniff")
            headers.add("Repr-Digest", "sha-256=:\(Base64.encode(version.sha256)):")
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(bytes))
        }
    }
}
