import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDataKeys
import MusterDatabase
import MusterOutbox
import MusterService

/// Notify's working parts, built once per process by `ServiceMain` and shared by
/// its routes and its delivery worker.
public struct NotifyRuntime: ServiceRuntime {
    public let context: ServiceContext
    let configuration: NotifyConfiguration
    let pool: DatabasePool
    let intake: MessageIntake
    let worker: DeliveryWorker
    let wakeup: Wakeup
    let sweeps: SweepRegistry
    let reminderSweep: ReminderSweep
    let reminderScheduler: ReminderScheduler

    public init(context: ServiceContext) throws {
        let configuration = try NotifyConfiguration(environment: context.configuration.environment,
                                                    publicURL: context.configuration.publicURL)
        let keys = DataKeyStore(ring: try MasterKeyRing(environment: context.configuration.environment))
        let queue = DeliveryQueue(pool: context.db)
        let wakeup = Wakeup()
        let transport: any MailTransport = configuration.smtp.map(SMTPTransport.init(settings:))
            ?? MailDirectoryTransport(folder: configuration.mailDirectory)
        self.context = context
        self.configuration = configuration
        self.pool = context.db
        self.wakeup = wakeup
        let intake = MessageIntake(pool: context.db, keys: keys)
        let replica = Self.replicaName()
        self.intake = intake
        sweeps = SweepRegistry(pool: context.db)
        reminderSweep = ReminderSweep(pool: context.db, intake: intake, directory: AgencyDirectory(peers: context.peers))
        reminderScheduler = ReminderScheduler(pool: context.db, registry: sweeps, sweep: reminderSweep, replica: replica,
                                              tick: configuration.reminderTick, logger: context.logger)
        worker = DeliveryWorker(
            queue: queue, dispatch: MessageDispatch(pool: context.db, keys: keys, queue: queue),
            recorder: OutcomeRecorder(store: OutcomeStore(pool: context.db)), transport: transport,
            composer: EmailComposer(sender: configuration.sender, publicURL: configuration.publicURL),
            settings: configuration.delivery, sendTimeout: configuration.sendTimeout,
            replica: replica, wakeup: wakeup, metrics: DeliveryMetrics(registry: context.metrics), logger: context.logger)
        context.logger.info("mail delivery configured", [
            "transport": configuration.smtp.map { _ in "smtp" } ?? "directory",
            "destination": configuration.smtp?.redactedURL ?? configuration.mailDirectory,
        ])
    }

    /// Stores and queues a batch handed over by another service, tenancy by tenancy
    /// (``OutboxReceiver``). Messages of an agency this service has no schema for
    /// yet are refused, so that the sender's outbox offers them again later.
    func accept(_ requests: [EmailRequest], from caller: ServiceName, logger: Logger) async throws -> AcceptedIDs {
        let receipt = try await OutboxReceiver(topic: .emails, logger: logger)
            .receive(requests, id: \.id.description, tenancy: { Tenancy($0.agencyID) }) { [intake] tenancy, batch in
                try await intake.accept(batch, scope: tenancy, caller: caller)
            }
        if !receipt.accepted.isEmpty { wakeup.signal() }
        return receipt.answer
    }

    /// `host:pid:random`: names the replica in claims and attempt logs.
    private static func replicaName() -> String {
        "\(ProcessInfo.processInfo.hostName.prefix(40)):\(ProcessInfo.processInfo.processIdentifier):\(Hex.encode(SecureRandom.bytes(2)))"
    }
}
