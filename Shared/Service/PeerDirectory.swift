import MusterCore
import Synchronization

/// Where the other services are: `MUSTER_<SERVICE>_URL`, a comma-separated list of
/// base URLs (several instances of a scaled service), defaulting to the local port.
///
/// ```swift
/// let audit = context.configuration.peers.url(for: .audit)   // round robin over instances
/// ```
public final class PeerDirectory: Sendable {
    private let instances: [ServiceName: [String]]
    private let next = Atomic<Int>(0)

    public init(environment: Environment) throws {
        var instances: [ServiceName: [String]] = [:]
        for service in ServiceName.allCases {
            let variable = "\(service.environmentPrefix)_URL"
            var urls = environment.list(variable).map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            if urls.isEmpty { urls = ["http://127.0.0.1:\(service.defaultPort)"] }
            for url in urls where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw ConfigurationError(variable: variable, problem: "\(url.debugDescription) is not an http(s) URL")
            }
            instances[service] = urls
        }
        self.instances = instances
    }

    /// Every configured instance of `service`.
    public func urls(for service: ServiceName) -> [String] { instances[service] ?? [] }

    /// One instance of `service`, taking turns between calls.
    public func url(for service: ServiceName) -> String {
        let all = urls(for: service)
        let turn = next.add(1, ordering: .relaxed).newValue
        return all[turn % all.count]
    }
}
