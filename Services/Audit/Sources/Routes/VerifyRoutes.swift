import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// `GET /api/v1/audit/verify`: recomputes the reader's whole chain and checks every
/// stored checkpoint. `POST /api/v1/audit/verify` with `{"checkpoints":[…]}` also
/// checks checkpoints the agency kept outside Muster (as downloaded from
/// `/api/v1/audit/checkpoints` or received by email) — the anchor that a database
/// administrator cannot rewrite. Both answer
/// `{"ok":true|false,"events":N,"first_broken_seq":null|n,"checkpoints":N}` and are
/// recorded in the chain (`audit.chain.verified`, outcome `failure` when broken) —
/// unless the chain cannot take appends (rows beyond its head), when the answer
/// matters more than its record.
enum VerifyRoutes {
    static let maxSupplied = 10_000

    struct Body: Decodable {
        let checkpoints: [CheckpointDocument]
    }

    static func register(on api: RouteGroup, audit: AuditRuntime) {
        api.get("/verify") { request in
            try await verify(request, supplied: [], audit: audit)
        }
        api.post("/verify", bodyLimit: 4 << 20) { request in
            let body = try request.decode(Body.self)
            guard body.checkpoints.count <= maxSupplied else {
                throw HTTPError.unprocessable("At most \(maxSupplied) checkpoints per request.", code: "too_many_checkpoints")
            }
            return try await verify(request, supplied: body.checkpoints, audit: audit)
        }
    }

    private static func verify(_ request: HTTPRequest, supplied: [CheckpointDocument], audit: AuditRuntime) async throws -> HTTPResponse {
        let reader = try AuditAccess.reader(request)
        let report: ChainVerifier.Report
        do {
            report = try await ChainErrors.mapping { try await audit.verification.verify(reader.chain, supplied: supplied) }
        } catch let error as ChainVerification.ForeignCheckpoint {
            throw HTTPError.unprocessable("checkpoints[\(error.index)] is not a checkpoint of this audit trail.",
                                          code: "invalid_checkpoint")
        }
        await audit.recordVerification(report, of: reader.chain, actor: reader.actor, source: AuditSource(request),
                                       reason: nil, logger: request.context.logger)
        return try .json(report)
    }
}
