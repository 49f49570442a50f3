import MusterTime
import Synchronization

/// Prometheus metrics for one process, rendered in the text exposition format.
///
/// Series are keyed by name and label values; lookups take one lock, so keep
/// label sets small (route templates, never raw paths).
///
/// ```swift
/// let requests = metrics.counter("http_requests_total", help: "HTTP requests", labels: ["route", "status"])
/// requests.increment(["GET /healthz", "200"])
/// ```
public final class MetricsRegistry: Sendable {
    private let families = Mutex<[String: Family]>([:])
    private let order = Mutex<[String]>([])
    /// Gauges computed at render time (pool sizes and the like).
    private let collectors = Mutex<[@Sendable () -> [GaugeSample]]>([])

    public init() {}

    public struct GaugeSample: Sendable {
        public let name: String
        public let help: String
        public let labels: [(String, String)]
        public let value: Double
        public init(name: String, help: String, labels: [(String, String)] = [], value: Double) {
            self.name = name
            self.help = help
            self.labels = labels
            self.value = value
        }
    }

    fileprivate final class Family: Sendable {
        let name: String
        let help: String
        let kind: String
        let labelNames: [String]
        let buckets: [Double]
        /// A histogram's counts also rendered as a counter family of this name and help.
        let countedAs: (name: String, help: String)?
        let series = Mutex<[LabelValues: Series]>([:])
        init(name: String, help: String, kind: String, labelNames: [String], buckets: [Double], countedAs: (name: String, help: String)?) {
            self.name = name
            self.help = help
            self.kind = kind
            self.labelNames = labelNames
            self.buckets = buckets
            self.countedAs = countedAs
        }
    }

    /// A series' label values; up to two are held without an array, so that a
    /// request's route and status are recorded without allocating.
    fileprivate enum LabelValues: Hashable {
        case none
        case one(String)
        case two(String, String)
        case more([String])

        init(_ values: [String]) {
            switch values.count {
            case 0: self = .none
            case 1: self = .one(values[0])
            case 2: self = .two(values[0], values[1])
            default: self = .more(values)
            }
        }

        var values: [String] {
            switch self {
            case .none: []
            case .one(let first): [first]
            case .two(let first, let second): [first, second]
            case .more(let values): values
            }
        }
    }

    fileprivate struct Series {
        var count: UInt64 = 0
        var sum: Double = 0
        var bucketCounts: [UInt64]

        mutating func record(_ value: Double, buckets: [Double]) {
            count += 1
            sum += value
            if let index = buckets.firstIndex(where: { value <= $0 }) { bucketCounts[index] += 1 }
        }
    }

    public func counter(_ name: String, help: String, labels: [String] = []) -> Counter {
        Counter(family: family(name, help: help, kind: "counter", labels: labels, buckets: [], countedAs: nil))
    }

    /// A histogram; with `countedAs`, its counts are also rendered as a counter of
    /// that name (so that counting and timing the same events costs one update).
    public func histogram(_ name: String, help: String, labels: [String] = [],
                          buckets: [Double] = Histogram.defaultBuckets, countedAs: (name: String, help: String)? = nil) -> Histogram {
        Histogram(family: family(name, help: help, kind: "histogram", labels: labels, buckets: buckets, countedAs: countedAs))
    }

    public func addCollector(_ collector: @escaping @Sendable () -> [GaugeSample]) {
        collectors.withLock { $0.append(collector) }
    }

    private func family(_ name: String, help: String, kind: String, labels: [String], buckets: [Double],
                        countedAs: (name: String, help: String)?) -> Family {
        families.withLock { families in
            if let existing = families[name] { return existing }
            let created = Family(name: name, help: help, kind: kind, labelNames: labels, buckets: buckets, countedAs: countedAs)
            families[name] = created
            order.withLock { $0.append(name) }
            return created
        }
    }

    /// The whole registry in Prometheus text format 0.0.4.
    public func render() -> String {
        var out = ""
        let names = order.withLock { $0 }
        let snapshot = families.withLock { $0 }
        for name in names {
            guard let family = snapshot[name] else { continue }
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.kind)\n"
            let series = family.series.withLock { $0 }.map { (values: $0.key.values, value: $0.value) }
                .sorted { $0.values.lexicographicallyPrecedes($1.values) }
                .map { (labels: zip(family.labelNames, $0.values).map { "\($0)=\(Self.quote($1))" }, value: $0.value) }
            for (labels, value) in series {
                if family.kind == "counter" {
                    out += "\(name)\(Self.braces(labels)) \(value.count)\n"
                } else {
                    var cumulative: UInt64 = 0
                    for (index, bound) in family.buckets.enumerated() {
                        cumulative += value.bucketCounts[index]
                        out += "\(name)_bucket\(Self.braces(labels + ["le=\"\(Self.number(bound))\""])) \(cumulative)\n"
                    }
                    out += "\(name)_bucket\(Self.braces(labels + ["le=\"+Inf\""])) \(value.count)\n"
                    out += "\(name)_sum\(Self.braces(labels)) \(Self.number(value.sum))\n"
                    out += "\(name)_count\(Self.braces(labels)) \(value.count)\n"
                }
            }
            if let counter = family.countedAs {
                out += "# HELP \(counter.name) \(counter.help)\n# TYPE \(counter.name) counter\n"
                for (labels, value) in series { out += "\(counter.name)\(Self.braces(labels)) \(value.count)\n" }
            }
        }
        var seenHelp = Set<String>()
        for sample in collectors.withLock({ $0 }).flatMap({ $0() }) {
            if seenHelp.insert(sample.name).inserted {
                out += "# HELP \(sample.name) \(sample.help)\n# TYPE \(sample.name) gauge\n"
            }
            let labels = sample.labels.map { "\($0.0)=\(Self.quote($0.1))" }
            out += "\(sample.name)\(Self.braces(labels)) \(Self.number(sample.value))\n"
        }
        return out
    }

    private static func braces(_ labels: [String]) -> String {
        labels.isEmpty ? "" : "{" + labels.joined(separator: ",") + "}"
    }

    private static func quote(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    public struct Counter: Sendable {
        fileprivate let family: Family
        public func increment(_ labelValues: [String] = [], by amount: UInt64 = 1) {
            family.series.withLock { series in
                series[LabelValues(labelValues), default: Series(bucketCounts: [])].count += amount
            }
        }
    }

    public struct Histogram: Sendable {
        public static let defaultBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        fileprivate let family: Family
        public func observe(_ value: Double, _ labelValues: [String] = []) {
            observe(value, LabelValues(labelValues))
        }

        /// The same for a family of two labels, without building an array.
        public func observe(_ value: Double, _ first: String, _ second: String) {
            observe(value, .two(first, second))
        }

        private func observe(_ value: Double, _ labelValues: LabelValues) {
            let buckets = family.buckets
            family.series.withLock { series in
                // Updated in place: a copy out and back would copy the bucket array on every observation.
                series[labelValues, default: Series(bucketCounts: Array(repeating: 0, count: buckets.count))]
                    .record(value, buckets: buckets)
            }
        }
    }
}

/// What every service (and the Gateway) records of each request it answers:
/// `http_request_duration_seconds` by route and status, whose counts are also
/// rendered as `http_requests_total`; one update per request.
///
/// ```swift
/// let requests = RequestMetrics(metrics)
/// requests.record(route: "GET /healthz", status: 200, since: started)
/// ```
public struct RequestMetrics: Sendable {
    private let latency: MetricsRegistry.Histogram

    public init(_ metrics: MetricsRegistry) {
        latency = metrics.histogram("http_request_duration_seconds", help: "HTTP request latency by route and status.",
                                    labels: ["route", "status"],
                                    countedAs: ("http_requests_total", "HTTP requests by route and status."))
    }

    /// Records one request; returns its duration in seconds.
    @discardableResult
    public func record(route: String, status: Int, since started: MonotonicInstant) -> Double {
        let seconds = started.secondsElapsed
        latency.observe(seconds, route, String(status))
        return seconds
    }
}
