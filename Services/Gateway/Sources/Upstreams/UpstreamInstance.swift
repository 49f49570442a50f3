import Foundation
import MusterCore
import MusterHTTP
import MusterHTTPUpstream
import Synchronization

/// One instance of a service behind the Gateway: its address, requests in
/// flight, what the last active check said, and its circuit breaker.
///
/// The hot path reads two atomics (`isAvailable`, `outstanding`); the lock is
/// taken only when something changes (a failure, a check, a breaker transition).
final class UpstreamInstance: Sendable {
    let service: ServiceName
    let endpoint: UpstreamEndpoint
    private let inFlight = Atomic<Int>(0)
    /// Passive failures in a row; zero on the fast path of a success.
    private let failureStreak = Atomic<Int>(0)
    /// Healthy by the last check and breaker closed: may take ordinary traffic.
    private let available = Atomic<Bool>(true)
    private let state: Mutex<State>

    struct State {
        var healthy = true
        var checked: Date?
        var detail: String?
        var version: String?
        var uptimeSeconds: Int?
        var breaker: CircuitBreaker
    }

    /// A point-in-time view for `/api/v1/platform/status` and `/metrics`.
    struct Snapshot: Sendable {
        let url: String
        let healthy: Bool
        let breaker: CircuitBreaker.State
        let outstanding: Int
        let checked: Date?
        let detail: String?
        let version: String?
        let uptimeSeconds: Int?
    }

    init(service: ServiceName, endpoint: UpstreamEndpoint, breaker: CircuitBreaker) {
        self.service = service
        self.endpoint = endpoint
        state = Mutex(State(breaker: breaker))
    }

    var outstanding: Int { inFlight.load(ordering: .relaxed) }
    var isAvailable: Bool { available.load(ordering: .relaxed) }

    /// Available, and healthy by an actual check: traffic goes to an instance before its
    /// first check (optimistically), but readiness waits for the check.
    var isCheckedHealthy: Bool { isAvailable && state.withLock { $0.checked != nil && $0.healthy } }

    /// Admits a request when the breaker allows one (in half-open, a single trial).
    func admitTrial(now: Double) -> Bool {
        state.withLock { state in state.healthy && state.breaker.admit(now: now) }
    }

    func begin() { inFlight.add(1, ordering: .relaxed) }

    /// Ends a request: `failed` for connection failures and timeouts (not for HTTP statuses).
    func end(failed: Bool, now: Double) {
        inFlight.subtract(1, ordering: .relaxed)
        if !failed, failureStreak.load(ordering: .relaxed) == 0, isAvailable { return }
        failureStreak.store(failed ? failureStreak.load(ordering: .relaxed) + 1 : 0, ordering: .relaxed)
        state.withLock { state in
            state.breaker.record(success: !failed, now: now)
            publish(state, now: now)
        }
    }

    /// Records an active `/readyz` check.
    func checked(healthy: Bool, detail: String?, version: String?, uptimeSeconds: Int?, now: Double) {
        state.withLock { state in
            state.healthy = healthy
            state.checked = Date()
            state.detail = detail
            if let version { state.version = version }
            state.uptimeSeconds = uptimeSeconds
            // An instance answering its checks again after its breaker's open time is back:
            // otherwise, with other instances available, it would never get its trial request.
            if healthy, state.breaker.state(at: now) == .halfOpen { state.breaker.record(success: true, now: now) }
            publish(state, now: now)
        }
    }

    func snapshot(now: Double) -> Snapshot {
        state.withLock { state in
            Snapshot(url: endpoint.url, healthy: state.healthy, breaker: state.breaker.state(at: now), outstanding: outstanding,
                     checked: state.checked, detail: state.detail, version: state.version, uptimeSeconds: state.uptimeSeconds)
        }
    }

    private func publish(_ state: State, now: Double) {
        available.store(state.healthy && state.breaker.state(at: now) == .closed, ordering: .relaxed)
    }
}
