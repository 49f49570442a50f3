import Foundation
import MusterCore
import MusterHTTP

/// Counts requests and observes latency by route template and status, and writes
/// one access-log line per request (health and metrics probes only at debug).
public struct RequestMetricsMiddleware: Middleware {
    private let requests: RequestMetrics
    private let logger: Logger

    public init(metrics: MetricsRegistry, logger: Logger) {
        requests = RequestMetrics(metrics)
        self.logger = logger
    }

    public nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        var status = 500
        defer { requests.record(route: request.context.route, status: status, since: started) }
        do {
            let response = try await next(request)
            status = response.status.rawValue
            log(request, status: status, started: started)
            return response
        } catch let error as HTTPError {
            status = error.status.rawValue
            log(request, status: status, started: started)
            throw error
        }
    }

    private func log(_ request: HTTPRequest, status: Int, started: ContinuousClock.Instant) {
        let path = request.path
        let level: Logger.Level = (path == "/healthz" || path == "/readyz" || path == "/metrics") ? .debug : .info
        var log = logger
        log.requestID = request.id
        log.agency = request.context.notes.snapshot.agency
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        log.log(level, "request", ["method": request.method.rawValue, "path": String(path), "status": String(status),
                                   "duration_ms": String(format: "%.2f", milliseconds), "client": request.context.clientAddress])
    }
}
