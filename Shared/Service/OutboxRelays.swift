import MusterContracts
import MusterCore
import MusterHTTP
import MusterOutbox

extension ServiceContext {
    /// Background tasks relaying this service's outbox: audit events to Audit and
    /// email requests to Notify, over `PeerClient` with this service's credential.
    /// Delivery counters go to the service's `/metrics` (`muster_outbox_*`).
    ///
    /// ```swift
    /// func backgroundTasks(context: ServiceContext) -> [BackgroundTask] { context.outboxRelays() }
    /// ```
    public func outboxRelays(_ topics: [OutboxTopic] = OutboxTopic.allCases,
                             settings: OutboxRelay.Settings = OutboxRelay.Settings()) -> [BackgroundTask] {
        topics.map { topic in
            let relay = OutboxRelay(topic: topic, pool: db, logger: logger, settings: settings, metrics: metrics,
                                    deliver: peers.outboxDelivery())
            return BackgroundTask(name: "outbox-\(topic.rawValue)") { await relay.run() }
        }
    }
}

extension PeerClient {
    /// Delivers an outbox batch to its topic's destination (`POST /internal/events`
    /// or `/internal/messages`) and reads the `AcceptedIDs` answer; any other
    /// status throws, so the relay backs off.
    ///
    /// ```swift
    /// let relay = OutboxRelay(topic: .auditEvents, pool: pool, logger: logger, deliver: peers.outboxDelivery())
    /// ```
    public func outboxDelivery() -> OutboxRelay.Deliver {
        { topic, body in
            let response = try await send(topic.destination, .post, topic.path, body: body)
            guard response.isSuccess else {
                throw PeerError(service: topic.destination, path: topic.path, status: response.status.rawValue,
                                body: String(decoding: response.body.prefix(512), as: UTF8.self))
            }
            return try JSONCoding.decode(AcceptedIDs.self, from: response.body)
        }
    }
}
