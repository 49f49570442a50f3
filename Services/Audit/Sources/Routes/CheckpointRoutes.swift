import MusterContracts
import MusterCore
import MusterCrypto
import MusterHTTP

/// `GET /api/v1/audit/checkpoints` (newest first, cursor, limit ≤ 200): the signed
/// checkpoints of the reader's chain, to keep outside Muster. `POST
/// /api/v1/audit/checkpoints`: sign one now, at the head (agency admins and
/// auditors; not under a support grant, which is read-only) → `201` with it (an
/// existing checkpoint at the head is returned as is). Both are recorded in the chain.
enum CheckpointRoutes {
    static func register(on api: RouteGroup, audit: AuditRuntime) {
        api.get("/checkpoints") { request in
            let reader = try AuditAccess.reader(request)
            let limit = try limitParameter(request.query["limit"])
            var before: Int64?
            if let cursor = request.query["cursor"] {
                guard let bytes = try? Base64URL.decode(cursor), let text = String(validating: bytes, as: UTF8.self),
                      text.hasPrefix("c1:"), let row = Int64(text.dropFirst(3)) else {
                    throw HTTPError.badRequest("cursor is not one this API gave out.", code: "invalid_query")
                }
                before = row
            }
            let page = try await ChainErrors.mapping { try await audit.checkpoints.page(of: reader.chain, before: before, limit: limit) }
            try await audit.ingestor.record(reader.event(
                "audit.checkpoints.read", target: AuditTarget(type: "audit_chain", id: reader.chain.description), request: request))
            return ListBody.response(page.items, next: page.next.map { Base64URL.encode(Array("c1:\($0)".utf8)) }) { json, checkpoint in
                json.raw(checkpoint.json.text)
            }
        }
        api.post("/checkpoints") { request in
            let reader = try AuditAccess.reader(request)
            guard reader.user.supportGrantID == nil else { throw HTTPError.forbidden("Support access is read-only.") }
            guard let checkpoint = try await ChainErrors.mapping({ try await audit.checkpointer.checkpoint(reader.chain, kind: .onDemand) }) else {
                throw HTTPError.conflict("The audit trail has no events yet.", code: "chain_empty")
            }
            try await audit.ingestor.record(reader.event(
                "audit.checkpoint.created", target: AuditTarget(type: "audit_checkpoint", id: String(checkpoint.seq)), request: request))
            return .jsonBytes(checkpoint.json.bytes, status: .created)
        }
    }

    static func limitParameter(_ text: String?) throws(HTTPError) -> Int {
        guard let text else { return EventFilter.defaultLimit }
        guard let limit = Int(text), (1...EventFilter.maxLimit).contains(limit) else {
            throw HTTPError.badRequest("limit must be a whole number from 1 to \(EventFilter.maxLimit).", code: "invalid_query")
        }
        return limit
    }
}
