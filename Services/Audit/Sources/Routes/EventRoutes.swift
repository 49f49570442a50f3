import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterService

/// `GET /api/v1/audit/events`: the reader's chain, newest first (``EventFilter``
/// lists the query). Each item is the event's canonical encoding plus its `hash`.
/// Every read is itself recorded in the chain (`audit.events.read`).
///
/// ```
/// GET /api/v1/audit/events?action=auth.login&from=2025-01-01&limit=50
/// 200 {"items":[{"action":"auth.login.failed",…,"hash":"…","seq":1042,…}],"next_cursor":"MTox…"}
/// ```
enum EventRoutes {
    static func register(on api: RouteGroup, audit: AuditRuntime) {
        api.get("/events") { request in
            let reader = try AuditAccess.reader(request)
            var filter: EventFilter
            do throws(EventFilter.Invalid) {
                filter = try EventFilter(query: request.query)
            } catch {
                throw HTTPError.badRequest(error.message, code: "invalid_query")
            }
            let wanted = try PageRequest(query: request.query, fields: 3) { EventCursor(fields: $0.fields) }
            filter.limit = wanted.limit
            filter.after = wanted.after
            let page = try await ChainErrors.mapping { try await audit.events.page(of: reader.chain, filter) }
            let query = String(request.queryString.prefix(256))
            try await audit.ingestor.record(reader.event(
                "audit.events.read", target: AuditTarget(type: "audit_events", id: query.isEmpty ? "*" : query), request: request))
            return ListBody.response(page.events, next: page.next.map { PageCursor($0.fields) }) { json, event in
                EventEncoding.write(event, includingHash: true, into: &json)
            }
        }
    }
}

/// How chain errors answer over HTTP.
enum ChainErrors {
    static func mapping<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch is AgencyNotProvisioned {
            throw HTTPError.notFound("audit trail")
        } catch let error as Checkpointer.ChainBroken {
            throw HTTPError.conflict("The audit chain does not verify at seq \(error.seq); no checkpoint was signed.",
                                     code: "chain_broken")
        }
    }
}
