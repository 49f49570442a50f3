import Foundation
import MusterCore
import MusterHTTP
import MusterTime

/// The Gateway's outermost layer: one JSON access-log line per request (time,
/// method, route, status, bytes, duration, upstream instance, request id, agency,
/// client — never a token), and `http_requests_total` /
/// `http_request_duration_seconds` by route and status. A streamed body is
/// logged when it has been sent, with its real size.
struct AccessLog: Middleware {
    let logger: Logger
    let requests: RequestMetrics

    init(metrics: MetricsRegistry, logger: Logger) {
        self.logger = logger
        requests = RequestMetrics(metrics)
    }

    nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        let started = MonotonicInstant.now
        let response: HTTPResponse
        do {
            response = try await next(request)
        } catch let error as HTTPError {
            response = error.response(requestID: request.id)
        }
        return finish(response, for: request, started: started)
    }

    /// Records the request's outcome and returns the response to send; a streamed
    /// body is recorded once it has been sent, with its real size.
    func finish(_ response: consuming HTTPResponse, for request: HTTPRequest, started: MonotonicInstant) -> HTTPResponse {
        var response = response
        let route = label(request)
        if case .stream(let body) = response.body {
            let status = response.status.rawValue
            response.body = .stream(CountedBody(body.chunks) { bytes in
                record(request, route: route, status: status, bytes: bytes, started: started)
            }.stream)
        } else {
            record(request, route: route, status: response.status.rawValue, bytes: response.body.bytes.count, started: started)
        }
        return response
    }

    /// The router's template for the Gateway's own routes, the route table's label for proxied ones.
    private func label(_ request: HTTPRequest) -> String {
        if request.context.route != "unmatched" { return request.context.route }
        return request.context.notes.snapshot.route ?? "unmatched"
    }

    private func record(_ request: HTTPRequest, route: String, status: Int, bytes: Int, started: MonotonicInstant) {
        let seconds = requests.record(route: route, status: status, since: started)
        let path = request.path
        let level: Logger.Level = path == "/healthz" ? .debug : .info
        guard level >= logger.minimumLevel else { return }
        let notes = request.context.notes.snapshot
        var log = logger
        log.requestID = request.id
        log.agency = notes.agency
        var fields = ["method": request.method.rawValue, "route": route, "status": String(status), "bytes": String(bytes),
                      "duration_ms": String(format: "%.2f", seconds * 1000), "client": request.context.peerAddress]
        if let upstream = notes.upstream { fields["upstream"] = upstream }
        log.log(level, "request", fields)
    }
}
