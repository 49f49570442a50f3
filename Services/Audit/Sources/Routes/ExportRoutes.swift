import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP
import MusterTime

/// `GET /api/v1/audit/events/export?from=&to=&format=jsonl|csv`: every event of
/// the reader's chain recorded in `[from, to)` (both optional), streamed in seq
/// order. Ranges are by `recorded_at`, which grows with `seq`, so an export is one
/// unbroken piece of the chain, and it comes with a checkpoint signed at its last
/// event (also in the `Audit-Checkpoint` header): offline, an auditor recomputes
/// every hash and checks that checkpoint (`Tools/verify_export.py`). If the chain
/// does not verify, the export still comes, with no checkpoint and `broken_at`.
/// Each export is recorded in the chain (`audit.events.exported`).
enum ExportRoutes {
    static let checkpointHeader = "Audit-Checkpoint"

    static func register(on api: RouteGroup, audit: AuditRuntime) {
        api.get("/events/export") { request in
            let reader = try AuditAccess.reader(request)
            let query = request.query
            guard let format = ExportFormat(rawValue: query["format"] ?? ExportFormat.jsonl.rawValue) else {
                throw HTTPError.badRequest("format must be jsonl or csv.", code: "invalid_query")
            }
            let from: MicroTime?, to: MicroTime?
            do throws(EventFilter.Invalid) {
                from = try query["from"].map { v throws(EventFilter.Invalid) in try EventFilter.time(v, "from") }
                to = try query["to"].map { v throws(EventFilter.Invalid) in try EventFilter.time(v, "to") }
            } catch {
                throw HTTPError.badRequest(error.message, code: "invalid_query")
            }
            let chain = reader.chain
            let range = try await ChainErrors.mapping { try await audit.events.seqRange(of: chain, recordedFrom: from, to: to) }
            var checkpoint: Checkpoint?
            var brokenAt: Int64?
            if let range {
                do {
                    checkpoint = try await audit.checkpointer.checkpoint(chain, kind: .export, at: range.upperBound)
                } catch let error as Checkpointer.ChainBroken {
                    brokenAt = error.seq
                }
            }
            try await audit.ingestor.record(reader.event(
                "audit.events.exported", target: AuditTarget(type: "audit_events", id: range.map { "\($0.lowerBound)..\($0.upperBound)" } ?? "none"),
                request: request, reason: "format \(format.rawValue)"))

            var preamble = format.preamble
            if format == .jsonl {
                let keys = try await audit.keys.jwks().encoded()
                preamble = description(chain: chain, from: from, to: to, range: range, checkpoint: checkpoint, brokenAt: brokenAt,
                                       keys: keys)
            }
            var response = HTTPResponse(status: .ok, body: ExportStream(events: audit.events, chain: chain, format: format,
                                                                        range: range, preamble: preamble).body)
            response.headers["Content-Type"] = format.contentType
            response.headers["Content-Disposition"] = "attachment; filename=\"audit-\(chain)-\(range.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "empty").\(format.rawValue)\""
            if let checkpoint { response.headers[checkpointHeader] = checkpoint.json.text }
            return response
        }
    }

    /// The first line of a JSON-lines export.
    static func description(chain: AuditChain, from: MicroTime?, to: MicroTime?, range: ClosedRange<Int64>?,
                            checkpoint: Checkpoint?, brokenAt: Int64?, keys: [UInt8]) -> [UInt8] {
        var json = CanonicalJSON()
        json.object { o in
            o.member("agency_id") { $0.string(chain.agencyID?.description) }
            o.member("broken_at") { json in if let brokenAt { json.integer(brokenAt) } else { json.null() } }
            o.member("checkpoint") { json in if let checkpoint { json.raw(checkpoint.json.text) } else { json.null() } }
            o.member("exported_at") { $0.string(MicroTime.now().canonical) }
            o.member("first_seq") { json in if let range { json.integer(range.lowerBound) } else { json.null() } }
            o.member("from") { $0.string(from?.canonical) }
            o.member("keys") { $0.raw(String(decoding: keys, as: UTF8.self)) }
            o.member("last_seq") { json in if let range { json.integer(range.upperBound) } else { json.null() } }
            o.member("to") { $0.string(to?.canonical) }
            o.member("type") { $0.string("audit_export") }
            o.member("v") { $0.integer(1) }
        }
        return json.bytes + [UInt8(ascii: "\n")]
    }
}
