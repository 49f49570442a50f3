import MusterCore

/// Where rendered messages go: an SMTP server, or a folder of `.eml` files.
protocol MailTransport: Sendable {
    /// How many messages it sends at once.
    var concurrency: Int { get }

    /// Hands one message over. Never throws: every way it can end is a `DeliveryOutcome`.
    func send(_ message: [UInt8], id: MessageID, from: MailAddress, to: MailAddress) async -> DeliveryOutcome

    /// Lets sends in flight finish, then releases threads and connections.
    func shutdown()
}
