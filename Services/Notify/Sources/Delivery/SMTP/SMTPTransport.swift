import MusterCore
import MusterHTTPClient
import Synchronization

/// Delivers to the configured SMTP relay over libcurl: `connections` sessions kept
/// open and reused, each message sent on a dedicated thread (libcurl's easy
/// interface blocks), so up to `connections` messages are in flight and none
/// blocks Swift's cooperative pool.
final class SMTPTransport: MailTransport {
    let settings: SMTPSettings
    private let threads: BlockingPool
    private let idle = Mutex<[SMTPConnection]>([])

    init(settings: SMTPSettings) {
        CurlGlobal.initialize()
        self.settings = settings
        threads = BlockingPool(name: "smtp", threads: settings.connections)
    }

    var concurrency: Int { settings.connections }

    func send(_ message: [UInt8], id: MessageID, from: MailAddress, to: MailAddress,
              startBy: ContinuousClock.Instant) async -> DeliveryOutcome? {
        do {
            // Taken on the pool's thread: with at most `connections` sends running, there are never more connections.
            return try await threads.run { [self] in
                guard ContinuousClock.now < startBy else { return nil }
                let connection = idle.withLock { $0.popLast() } ?? SMTPConnection(settings: settings)
                defer { idle.withLock { $0.append(connection) } }
                return connection.send(message, from: from, to: to)
            }
        } catch {
            return .temporaryFailure(code: nil, reply: "not sent: \(error)")
        }
    }

    func shutdown() { threads.shutdown() }
}
