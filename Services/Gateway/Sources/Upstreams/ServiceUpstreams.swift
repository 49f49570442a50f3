import Foundation
import MusterCore
import MusterHTTP
import MusterHTTPUpstream
import Synchronization

/// The instances of one service and how a request picks one: the available
/// instance with the fewest requests in flight (ties taken in turn); when none
/// is available, one whose breaker admits a half-open trial.
final class ServiceUpstreams: Sendable {
    let service: ServiceName
    let instances: [UpstreamInstance]
    private let turn = Atomic<Int>(0)

    init(service: ServiceName, instances: [UpstreamInstance]) {
        precondition(!instances.isEmpty, "a service needs at least one instance")
        self.service = service
        self.instances = instances
    }

    /// An instance for the next attempt, avoiding `excluded` (the one that just failed).
    func pick(excluding excluded: UpstreamInstance? = nil, now: Double) -> UpstreamInstance? {
        if instances.count == 1 {
            let only = instances[0]
            if only === excluded { return nil }
            return only.isAvailable || only.admitTrial(now: now) ? only : nil
        }
        let start = turn.add(1, ordering: .relaxed).newValue
        var best: UpstreamInstance?
        for offset in 0..<instances.count {
            let instance = instances[(start + offset) % instances.count]
            guard instance !== excluded, instance.isAvailable else { continue }
            if best == nil || instance.outstanding < best!.outstanding { best = instance }
        }
        if let best { return best }
        return instances.first { $0 !== excluded && $0.admitTrial(now: now) }
    }

    /// At least one instance is healthy by its last check with a breaker that is not open.
    var isReady: Bool { instances.contains { $0.isCheckedHealthy } }
}

/// Every service's instances, from the `MUSTER_<SERVICE>_URL` lists.
struct UpstreamDirectory: Sendable {
    /// In `routed` order. Read on every proxied request, so found by scanning
    /// `names` — not by hashing a `ServiceName` (which hashes its raw string), and
    /// without retaining the entries passed over, which every loop's thread shares.
    let services: [ServiceUpstreams]
    private let names: [ServiceName]

    static let routed: [ServiceName] = [.identity, .records, .audit, .notify]

    init(urls: (ServiceName) -> [String], breaker: CircuitBreaker) throws {
        var services: [ServiceUpstreams] = []
        for service in Self.routed {
            var instances: [UpstreamInstance] = []
            for url in urls(service) {
                do {
                    instances.append(UpstreamInstance(service: service, endpoint: try UpstreamEndpoint(url: url), breaker: breaker))
                } catch {
                    throw ConfigurationError(variable: "\(service.environmentPrefix)_URL", problem: error.description)
                }
            }
            services.append(ServiceUpstreams(service: service, instances: instances))
        }
        self.services = services
        names = services.map(\.service)
    }

    subscript(service: ServiceName) -> ServiceUpstreams { services[names.firstIndex(of: service)!] }

    var all: [UpstreamInstance] { services.flatMap(\.instances) }
}
