import MusterCore
import Testing

@Suite struct MetricsTests {
    /// One update per request: the duration histogram, whose counts are also the request counter.
    @Test func requestMetricsRenderTheHistogramAndItsCountsAsACounter() {
        let registry = MetricsRegistry()
        let requests = RequestMetrics(registry)
        let started = ContinuousClock.now - .milliseconds(3)
        requests.record(route: "GET /x", status: 200, since: started)
        requests.record(route: "GET /x", status: 200, since: started)
        requests.record(route: "GET /\"y\"", status: 404, since: started)
        let lines = registry.render().split(separator: "\n").map(String.init)

        #expect(lines.contains("# TYPE http_request_duration_seconds histogram"))
        #expect(lines.contains("http_request_duration_seconds_count{route=\"GET /x\",status=\"200\"} 2"))
        #expect(lines.contains("http_request_duration_seconds_bucket{route=\"GET /x\",status=\"200\",le=\"0.001\"} 0"))
        #expect(lines.contains("http_request_duration_seconds_bucket{route=\"GET /x\",status=\"200\",le=\"+Inf\"} 2"))
        #expect(lines.contains("# TYPE http_requests_total counter"))
        #expect(lines.contains("http_requests_total{route=\"GET /x\",status=\"200\"} 2"))
        #expect(lines.contains("http_requests_total{route=\"GET /\\\"y\\\"\",status=\"404\"} 1"))
        // The counter family follows its histogram, after its HELP and TYPE lines.
        let counter = lines.firstIndex(of: "# TYPE http_requests_total counter")!
        #expect(lines[counter - 1].hasPrefix("# HELP http_requests_total "))
        #expect(lines.filter { $0.hasPrefix("http_requests_total") }.count == 2)
    }
}
