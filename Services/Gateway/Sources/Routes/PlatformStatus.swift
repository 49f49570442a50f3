import Foundation
import MusterCore
import MusterHTTP
import MusterTime

/// `GET /api/v1/platform/status` (platform operators): every service behind the
/// Gateway, each instance's health, breaker, load, version and uptime, as the
/// Gateway's own checks last saw them. Answered by the Gateway itself.
struct PlatformStatus: Encodable, Sendable {
    struct Service: Encodable, Sendable {
        let name: String
        let healthy: Bool
        let instances: [Instance]
    }

    struct Instance: Encodable, Sendable {
        let url: String
        let healthy: Bool
        let breaker: String
        let outstandingRequests: Int
        let version: String?
        let uptimeSeconds: Int?
        let checkedAt: Date?
        let detail: String?
    }

    struct Gateway: Encodable, Sendable {
        let version: String
        let uptimeSeconds: Int
    }

    let status: String
    let gateway: Gateway
    let services: [Service]

    static let path = "/api/v1/platform/status"

    init(directory: UpstreamDirectory, version: String, uptimeSeconds: Int) {
        let now = CoarseClock.seconds
        services = UpstreamDirectory.routed.map { name in
            let upstreams = directory[name]
            let instances = upstreams.instances.map { instance in
                let snapshot = instance.snapshot(now: now)
                return Instance(url: snapshot.url, healthy: snapshot.healthy, breaker: snapshot.breaker.rawValue,
                                outstandingRequests: snapshot.outstanding, version: snapshot.version,
                                uptimeSeconds: snapshot.uptimeSeconds, checkedAt: snapshot.checked, detail: snapshot.detail)
            }
            return Service(name: name.rawValue, healthy: upstreams.isReady, instances: instances)
        }
        status = services.allSatisfy(\.healthy) ? "ok" : "degraded"
        gateway = Gateway(version: version, uptimeSeconds: uptimeSeconds)
    }
}
