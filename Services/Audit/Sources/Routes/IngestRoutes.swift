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
            let batch = try request.decode(LenientBatch.self)
            guard batch.events.count <= maxEvents else {
                throw HTTPError(.payloadTooLarge, code: "batch_too_large", message: "At most \(maxEvents) events per request.")
            }
            var events: [AuditEvent] = []
            var rejected: [RejectedItem] = []
            for item in batch.events {
                switch item {
                case .valid(let event): events.append(event)
                case .invalid(let refusal): rejected.append(refusal)
                }
            }
            do {
                return try .json(try await ingestor.ingest(events, alreadyRejected: rejected))
            } catch {
                request.context.logger.error("audit ingest failed", ["error": "\(error)"])
                throw HTTPError.unavailable(retryAfter: 5)
            }
        }
    }

    /// `{"events":[…]}` where each element decodes on its own.
    struct LenientBatch: Decodable {
        let events: [LenientEvent]
    }

    enum LenientEvent: Decodable {
        case valid(AuditEvent)
        case invalid(RejectedItem)

        private enum Keys: String, CodingKey { case id }

        init(from decoder: Decoder) throws {
            do {
                self = .valid(try AuditEvent(from: decoder))
            } catch {
                let id = (try? decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .id)) ?? ""
                self = .invalid(RejectedItem(id: id, reason: "not a valid audit event: \(Self.describe(error))"))
            }
        }

        private static func describe(_ error: Error) -> String {
            guard let error = error as? DecodingError else { return "unreadable" }
            switch error {
            case .keyNotFound(let key, _): return "missing \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                return "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
            @unknown default: return "unreadable"
            }
        }
    }
}
