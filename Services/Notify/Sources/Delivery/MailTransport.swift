import MusterCore

/// Where rendered messages go: an SMTP server, or a folder of `.eml` files.
protocol MailTransport: Sendable {
    /// How many messages it sends at once.
    var concurrency: Int { get }

    /// Hands one message over, unless it cannot start by `startBy` (it may wait for a free
    /// connection): then `nil`, and nothing was sent. Never throws: every way a send can
    /// end is a `DeliveryOutcome`.
    func send(_ message: [UInt8], id: MessageID, from: MailAddress, to: MailAddress,
              startBy: ContinuousClock.Instant) async -> DeliveryOutcome?

    /// Lets sends in flight finish, then releases threads and connections.
    func shutdown()
}
