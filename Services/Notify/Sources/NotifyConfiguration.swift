import Foundation
import MusterCore

/// Notify's own settings, read once from the environment at start (every variable
/// is in README.md's configuration table).
///
/// ```swift
/// let settings = try NotifyConfiguration(environment: Environment(), publicURL: "https://muster.example")
/// ```
public struct NotifyConfiguration: Sendable {
    /// `MUSTER_MAIL_FROM`: `Name <address>` or a bare address; the address is the envelope sender.
    public var sender: Mailbox
    /// `MUSTER_SMTP_URL` and friends; `nil` writes `.eml` files to `mailDirectory` instead.
    public var smtp: SMTPSettings?
    /// `MUSTER_MAIL_DIR` (default `.muster/mail`).
    public var mailDirectory: String
    /// `MUSTER_PUBLIC_URL`: links in emails start here.
    public var publicURL: String
    public var delivery: DeliverySettings
    /// `MUSTER_NOTIFY_REMINDER_TICK_MS` (default 60000): how often the reminder scheduler
    /// looks for agencies whose daily sweep is due.
    public var reminderTick: Duration

    public init(environment: Environment, publicURL: String) throws {
        let from = environment.string("MUSTER_MAIL_FROM", default: "Muster <no-reply@localhost>")
        guard let sender = Mailbox(parsing: from) else {
            throw ConfigurationError(variable: "MUSTER_MAIL_FROM", problem: "expected `Name <address>` or an address, got \(from.debugDescription)")
        }
        self.sender = sender
        smtp = try environment["MUSTER_SMTP_URL"].map { try SMTPSettings(url: $0, environment: environment, heloName: String(sender.address.domain)) }
        mailDirectory = environment.string("MUSTER_MAIL_DIR", default: ".muster/mail")
        self.publicURL = publicURL
        delivery = try DeliverySettings(environment: environment, sendTimeout: smtp?.timeout ?? Self.fileWriteTimeout)
        reminderTick = .milliseconds(try environment.int("MUSTER_NOTIFY_REMINDER_TICK_MS", default: 60_000))
    }

    /// The longest one send may take: the SMTP timeout, or a bound for writing a file.
    public var sendTimeout: Duration { smtp?.timeout ?? Self.fileWriteTimeout }
    private static let fileWriteTimeout = Duration.seconds(1)
}

/// How Notify reaches its mail server.
public struct SMTPSettings: Sendable {
    /// `smtp://host:port` (STARTTLS when offered) or `smtps://host:port` (TLS from the start).
    public var url: String
    /// `MUSTER_SMTP_REQUIRE_TLS=1`: never send over a connection without TLS.
    public var requireTLS: Bool
    /// `MUSTER_SMTP_USERNAME` / `MUSTER_SMTP_PASSWORD`: AUTH when set (never logged).
    public var username: String?
    public var password: String?
    /// `MUSTER_SMTP_CA_FILE`: certificates to trust instead of the system's (a private relay).
    public var caFile: String?
    /// `MUSTER_SMTP_CONNECTIONS` (default 8): connections kept open, and messages in flight.
    public var connections: Int
    /// `MUSTER_SMTP_TIMEOUT_MS` (default 30000): the most one message may take.
    public var timeout: Duration
    /// `MUSTER_SMTP_CONNECT_TIMEOUT_MS` (default 5000).
    public var connectTimeout: Duration
    /// The name Notify gives in `EHLO`: the sender's domain.
    public var heloName: String

    /// The URL without any credentials in it, for logs.
    public var redactedURL: String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? "smtp://…"
    }

    init(url: String, environment: Environment, heloName: String) throws {
        guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://"), URL(string: url)?.host != nil else {
            throw ConfigurationError(variable: "MUSTER_SMTP_URL", problem: "expected smtp://host:port or smtps://host:port")
        }
        self.url = url
        requireTLS = try environment.bool("MUSTER_SMTP_REQUIRE_TLS", default: false)
        username = environment["MUSTER_SMTP_USERNAME"]
        password = environment["MUSTER_SMTP_PASSWORD"]
        if (username == nil) != (password == nil) {
            throw ConfigurationError(variable: "MUSTER_SMTP_USERNAME", problem: "set both it and MUSTER_SMTP_PASSWORD, or neither")
        }
        caFile = environment["MUSTER_SMTP_CA_FILE"]
        connections = try environment.int("MUSTER_SMTP_CONNECTIONS", default: 8)
        guard (1...64).contains(connections) else {
            throw ConfigurationError(variable: "MUSTER_SMTP_CONNECTIONS", problem: "expected 1 to 64")
        }
        timeout = .milliseconds(try environment.int("MUSTER_SMTP_TIMEOUT_MS", default: 30_000))
        connectTimeout = .milliseconds(try environment.int("MUSTER_SMTP_CONNECT_TIMEOUT_MS", default: 5000))
        self.heloName = heloName
    }
}

/// How the delivery queue is worked.
public struct DeliverySettings: Sendable {
    /// `MUSTER_NOTIFY_LEASE_MS` (default 120000): how long a claim holds; a message whose
    /// replica died is claimed again after it. Must exceed the send timeout.
    public var lease: Duration
    /// `MUSTER_NOTIFY_RETRY_FIRST_MS` (default 30000) and `MUSTER_NOTIFY_RETRY_WINDOW_MS` (default 24 h).
    public var retry: RetrySchedule
    /// `MUSTER_NOTIFY_POLL_MS` (default 500): how often an idle replica looks for due messages.
    public var pollInterval: Duration

    init(environment: Environment, sendTimeout: Duration) throws {
        lease = .milliseconds(try environment.int("MUSTER_NOTIFY_LEASE_MS", default: 120_000))
        guard lease > sendTimeout * 2 else {
            throw ConfigurationError(variable: "MUSTER_NOTIFY_LEASE_MS", problem: "must be more than twice the send timeout (MUSTER_SMTP_TIMEOUT_MS)")
        }
        let firstRetry = Duration.milliseconds(try environment.int("MUSTER_NOTIFY_RETRY_FIRST_MS", default: 30_000))
        guard firstRetry > .zero, firstRetry <= RetrySchedule().maxDelay else {
            throw ConfigurationError(variable: "MUSTER_NOTIFY_RETRY_FIRST_MS", problem: "must be more than 0 and at most an hour")
        }
        retry = RetrySchedule(firstDelay: firstRetry,
                              window: .milliseconds(try environment.int("MUSTER_NOTIFY_RETRY_WINDOW_MS", default: 24 * 3600 * 1000)))
        pollInterval = .milliseconds(try environment.int("MUSTER_NOTIFY_POLL_MS", default: 500))
    }
}
