import MusterCore
import MusterTime
import Testing

@Suite struct MetricsTests {
    /// One update per request: the duration histogram, whose counts are also the request counter.
    @Test func requestMetricsRenderTheHistogramAndItsCountsAsACounter() {
        let registry = MetricsRegistry()
        let requests = RequestMetrics(registry)
        let started = MonotonicInstant(nanoseconds: MonotonicInstant.now.nanoseconds - 3_000_000)
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

    /// Two labels given as an array or one by one are the same series; any number of labels renders, sorted.
    @Test func labelValuesAreOneSeriesHoweverTheyAreGiven() {
        let registry = MetricsRegistry()
        let latency = registry.histogram("latency_seconds", help: "Latency.", labels: ["route", "status"], buckets: [1])
        latency.observe(0.5, ["GET /a", "200"])
        latency.observe(2, "GET /a", "200")
        let plain = registry.counter("plain_total", help: "No labels.")
        plain.increment()
        plain.increment(by: 2)
        let three = registry.counter("three_total", help: "Three labels.", labels: ["a", "b", "c"])
        three.increment(["z", "y", "x"])
        three.increment(["a", "b", "c"], by: 4)
        let lines = registry.render().split(separator: "\n").map(String.init)

        #expect(lines.contains("latency_seconds_bucket{route=\"GET /a\",status=\"200\",le=\"1\"} 1"))
        #expect(lines.contains("latency_seconds_count{route=\"GET /a\",status=\"200\"} 2"))
        #expect(lines.filter { $0.hasPrefix("latency_seconds_count") }.count == 1)
        #expect(lines.contains("plain_total 3"))
        let first = lines.firstIndex(of: "three_total{a=\"a\",b=\"b\",c=\"c\"} 4")
        let second = lines.firstIndex(of: "three_total{a=\"z\",b=\"y\",c=\"x\"} 1")
        #expect(first != nil && second != nil && first! < second!)
    }
}
