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
        let peers = self.peers
        return topics.map { topic in
            let relay = OutboxRelay(topic: topic, pool: db, logger: logger, settings: settings, metrics: metrics) { topic, body in
                let response = try await peers.send(topic.destination, .post, topic.path, body: body)
                guard response.isSuccess else {
                    throw PeerError(service: topic.destination, path: topic.path, status: response.status.rawValue,
                                    body: String(decoding: response.body.prefix(512), as: UTF8.self))
                }
                return try JSONCoding.decode(AcceptedIDs.self, from: response.body)
            }
            return BackgroundTask(name: "outbox-\(topic.rawValue)") { await relay.run() }
        }
    }
}
