import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTP
import MusterService

/// `POST /internal/messages`: other services' outbox relays hand over email
/// requests (`EmailBatch`); the answer (`AcceptedIDs`) names every message now
/// stored, so the relay deletes exactly those, and those refused (an agency not
/// provisioned here yet). Idempotent by message id.
enum InternalMessageRoutes {
    static let maxMessages = 1000

    static func register(on router: Router, context: ServiceContext, runtime: NotifyRuntime) {
        let auth = ServiceAuthMiddleware(verifier: context.credentials.verifier, allowedCallers: [.identity, .records, .audit])
        router.post("/internal/messages", bodyLimit: 8 << 20, middleware: [auth]) { request in
            let batch = try request.decode(EmailBatch.self)
            guard batch.messages.count <= maxMessages else {
                throw HTTPError(.payloadTooLarge, code: "too_many_messages", message: "At most \(maxMessages) messages per request.")
            }
            guard let caller = request.context.principal?.service else { throw HTTPError.unauthorized() }
            return try .json(try await runtime.accept(batch.messages, from: caller, logger: request.context.logger))
        }
    }
}
