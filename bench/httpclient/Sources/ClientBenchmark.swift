import Foundation
import MusterHTTPClient

/// A closed loop: `inFlight` tasks each send the next request as soon as the last one answered.
struct ClientBenchmark {
    var url: String
    var inFlight: Int
    var duration: Duration

    struct Result: CustomStringConvertible {
        var requests: Int
        var elapsed: Duration
        var cpuSeconds: Double

        var description: String {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let perSecond = Double(requests) / seconds
            let cpuMicroseconds = cpuSeconds / Double(max(1, requests)) * 1e6
            return String(format: "%d requests in %.2f s: %.0f req/s, %.1f µs CPU per request", requests, seconds, perSecond,
                          cpuMicroseconds)
        }
    }

    func run() async throws -> Result {
        let client = HTTPClient(configuration: .init(maxConnectionsPerHost: inFlight, retry: .never))
        defer { Task { await client.shutdown() } }
        // Opens the connections before the clock starts.
        _ = try await send(on: client, until: .now + .milliseconds(300))
        let cpuBefore = Self.processCPUSeconds()
        let started = ContinuousClock.now
        let deadline = started + duration
        let requests = try await send(on: client, until: deadline)
        return Result(requests: requests, elapsed: started.duration(to: .now), cpuSeconds: Self.processCPUSeconds() - cpuBefore)
    }

    private func send(on client: HTTPClient, until deadline: ContinuousClock.Instant) async throws -> Int {
        let request = HTTPClientRequest(url: url)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<inFlight {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        let response = try await client.send(request)
                        precondition(response.status == .ok, "unexpected \(response.status)")
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
    }

    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
