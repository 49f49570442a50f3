import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// `GET /api/v1/audit/checkpoints` (newest first, cursor, limit ≤ 200): the signed
/// checkpoints of the reader's chain, to keep outside Muster. `POST
/// /api/v1/audit/checkpoints`: sign one now, at the head (agency admins and
/// auditors; not under a support grant, which is read-only) → `201` with it (an
/// existing checkpoint at the head is returned as is). Both are recorded in the chain.
/// `GET /internal/agencies/{id}/checkpoints/latest` (service credential): the agency's
/// newest checkpoint for another service to print (Records' transcript), `404` without one.
enum CheckpointRoutes {
    static func registerInternal(on router: Router, context: ServiceContext, audit: AuditRuntime) {
        let serviceAuth = ServiceAuthMiddleware(verifier: context.credentials.verifier)
        router.get("/internal/agencies/{id}/checkpoints/latest", middleware: [serviceAuth]) { request in
            let agency: AgencyID = try request.context.parameters.id("id", what: "agency")
            let page = try await ChainErrors.mapping { try await audit.checkpoints.page(of: AuditChain(agency: agency), before: nil, limit: 1) }
            guard let latest = page.items.first else { throw HTTPError.notFound("checkpoint") }
            return .jsonBytes(latest.json.bytes)
        }
    }

    static func register(on api: RouteGroup, audit: AuditRuntime) {
        api.get("/checkpoints") { request in
            let reader = try AuditAccess.reader(request)
            // The cursor is the last checkpoint's row, `c1:<row>`.
            let wanted = try PageRequest(query: request.query, fields: 2) { cursor in
                cursor.fields[0] == "c1" ? Int64(cursor.fields[1]) : nil
            }
            let page = try await ChainErrors.mapping {
                try await audit.checkpoints.page(of: reader.chain, before: wanted.after, limit: wanted.limit)
            }
            try await audit.ingestor.record(reader.event(
                "audit.checkpoints.read", target: AuditTarget(type: "audit_chain", id: reader.chain.description), request: request))
            return ListBody.response(page.items, next: page.next.map { PageCursor(["c1", String($0)]) }) { json, checkpoint in
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
}
