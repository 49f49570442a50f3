import Foundation
import MusterCore
import MusterHTTP
import MusterTime

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
        let started = MonotonicInstant.now
        do {
            let response = try await next(request)
            finish(request, status: response.status.rawValue, started: started)
            return response
        } catch let error as HTTPError {
            finish(request, status: error.status.rawValue, started: started)
            throw error
        } catch {
            // Counted as the 500 it becomes; the server logs the failure itself.
            requests.record(route: request.context.route, status: 500, since: started)
            throw error
        }
    }

    /// Records the request, then writes its line with the same duration.
    private func finish(_ request: HTTPRequest, status: Int, started: MonotonicInstant) {
        let seconds = requests.record(route: request.context.route, status: status, since: started)
        let path = request.path
        let level: Logger.Level = (path == "/healthz" || path == "/readyz" || path == "/metrics") ? .debug : .info
        var log = logger
        log.requestID = request.id
        log.agency = request.context.notes.snapshot.agency
        log.log(level, "request", ["method": request.method.rawValue, "path": String(path), "status": String(status),
                                   "duration_ms": String(format: "%.2f", seconds * 1000), "client": request.context.clientAddress])
    }
}
