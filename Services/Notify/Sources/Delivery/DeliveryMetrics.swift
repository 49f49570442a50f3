import MusterCore

/// Delivery counters and timings at `/metrics`.
struct DeliveryMetrics: Sendable {
    private let outcomes: MetricsRegistry.Counter
    private let durations: MetricsRegistry.Histogram

    init(registry: MetricsRegistry) {
        outcomes = registry.counter("muster_notify_deliveries_total", help: "Delivery attempts by resulting status.",
                                    labels: ["status"])
        durations = registry.histogram("muster_notify_send_duration_seconds", help: "Time to hand one message to the mail server.",
                                       labels: ["status"])
    }

    func record(_ status: MessageStatus, seconds: Double) {
        outcomes.increment([status.rawValue])
        durations.observe(seconds, [status.rawValue])
    }
}
