import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// `POST /internal/events` (any Muster service's credential): a batch of
/// `AuditEvent`s → `AcceptedIDs`. Idempotent by event id. An event that does not
/// decode or validate is listed as rejected, never fails its batch-mates.
///
/// ```
/// POST /internal/events  {"events":[{"id":"…","agency_id":"…","action":"user.role.changed",…}]}
/// 200 {"accepted":["…"],"rejected":[{"id":"…","reason":"…"}]}
/// ```
enum IngestRoutes {
    /// Events per request at most (relays send 100).
    static let maxEvents = 1000

    static func register(on router: Router, context: ServiceContext, ingestor: Ingestor) {
        let auth = ServiceAuthMiddleware(verifier: context.credentials.verifier)
        router.post("/internal/events", bodyLimit: 16 << 20, middleware: [auth]) { request in
            let items: [IncomingEvents.Item]
            do throws(IncomingEvents.Malformed) {
                items = try IncomingEvents.read(request.body)
            } catch {
                throw HTTPError.badRequest(error.message, code: "invalid_json")
            }
            guard items.count <= maxEvents else {
                throw HTTPError(.payloadTooLarge, code: "batch_too_large", message: "At most \(maxEvents) events per request.")
            }
            var events: [AuditEvent] = []
            var rejected: [RejectedItem] = []
            for item in items {
                switch item {
                case .event(let event): events.append(event)
                case .refused(let refusal): rejected.append(refusal)
                }
            }
            do {
                return .jsonBytes(encoded(try await ingestor.ingest(events, alreadyRejected: rejected)))
            } catch {
                request.context.logger.error("audit ingest failed", ["error": "\(error)"])
                throw HTTPError.unavailable(retryAfter: 5)
            }
        }
    }

    /// `AcceptedIDs` as JSON, written directly (a hundred ids through `JSONEncoder` showed in the profile).
    static func encoded(_ answer: AcceptedIDs) -> [UInt8] {
        var json = CanonicalJSON(capacity: 64 + answer.accepted.count * 40)
        json.object { o in
            o.member("accepted") { $0.array(answer.accepted) { $0.string($1) } }
            if let rejected = answer.rejected {
                o.member("rejected") { json in
                    json.array(rejected) { json, item in
                        json.object { r in
                            r.member("id") { $0.string(item.id) }
                            r.member("reason") { $0.string(item.reason) }
                        }
                    }
                }
            }
        }
        return json.bytes
    }
}
