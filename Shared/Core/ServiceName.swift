/// The five Muster services, with their default ports (see docs/architecture.md).
public enum ServiceName: String, Sendable, CaseIterable, Codable {
    case gateway, identity, records, audit, notify

    public var defaultPort: Int {
        switch self {
        case .gateway: 8080
        case .identity: 8081
        case .records: 8082
        case .audit: 8083
        case .notify: 8084
        }
    }

    /// Prefix of this service's environment variables, e.g. `MUSTER_IDENTITY`.
    public var environmentPrefix: String { "MUSTER_\(rawValue.uppercased())" }

    /// The service's own database in the shared cluster.
    public var databaseName: String { "muster_\(rawValue)" }
}
