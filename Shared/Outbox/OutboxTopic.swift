import MusterCore

/// What an outbox row carries and where its relay delivers it.
public enum OutboxTopic: String, Sendable, CaseIterable {
    /// Audit events → `POST /internal/events` on Audit.
    case auditEvents = "audit_events"
    /// Email requests → `POST /internal/messages` on Notify.
    case emails

    public var destination: ServiceName {
        switch self {
        case .auditEvents: .audit
        case .emails: .notify
        }
    }

    public var path: String {
        switch self {
        case .auditEvents: "/internal/events"
        case .emails: "/internal/messages"
        }
    }

    /// The batch body's array key: `{"events":[…]}`, `{"messages":[…]}`.
    var batchKey: String {
        switch self {
        case .auditEvents: "events"
        case .emails: "messages"
        }
    }
}
