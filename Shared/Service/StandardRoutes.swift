import MusterContracts
import MusterCore
import MusterHTTP

/// `GET /healthz` (alive), `GET /readyz` (database and needed peers reachable),
/// `GET /metrics` (Prometheus text) — on every service; `/readyz` and `/metrics`
/// on its admin listener instead when it has one (the Gateway).
///
/// ```swift
/// StandardRoutes.registerHealth(on: publicRouter, context: context)
/// StandardRoutes.registerHealth(on: adminRouter, context: context)
/// StandardRoutes.registerOperations(on: adminRouter, context: context, checks: checks)
/// ```
public enum StandardRoutes {
    /// `GET /healthz`: the process is alive (liveness).
    public static func registerHealth(on router: Router, context: ServiceContext) {
        let service = context.service.rawValue
        router.get("/healthz") { _ in
            .jsonBytes(Array("{\"status\":\"ok\",\"service\":\"\(service)\"}".utf8))
        }
    }

    /// `GET /readyz` (readiness, with the checks' details) and `GET /metrics`.
    public static func registerOperations(on router: Router, context: ServiceContext, checks: [ReadinessCheck]) {
        let service = context.service.rawValue
        let version = context.configuration.version
        let database = context.database
        let started = ContinuousClock.now
        router.get("/readyz") { _ in
            var results: [ReadinessReport.Check] = []
            if let database {
                do {
                    try await database.ping()
                    results.append(.init(name: "database", ok: true))
                } catch {
                    results.append(.init(name: "database", ok: false, detail: "\(error)"))
                }
            }
            for check in checks { results.append(await check.probe()) }
            let uptime = Int(started.duration(to: .now).components.seconds)
            let report = ReadinessReport(service: service, version: version, uptimeSeconds: uptime, checks: results)
            var response = try HTTPResponse.json(report, status: report.isReady ? .ok : .serviceUnavailable)
            if !report.isReady { response.headers["Retry-After"] = "5" }
            return response
        }
        let metrics = context.metrics
        router.get("/metrics") { _ in
            .text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
