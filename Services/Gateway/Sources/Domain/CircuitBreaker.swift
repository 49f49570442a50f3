/// One upstream instance's circuit breaker.
///
/// Closed: requests flow; `failureThreshold` failures in a row open it. Open:
/// no requests for `openSeconds`. Then half-open: one trial request at a time;
/// its success closes the breaker, its failure opens it again.
///
/// ```swift
/// var breaker = CircuitBreaker(failureThreshold: 5, openSeconds: 10)
/// if breaker.admit(now: now) { …; breaker.record(success: ok, now: now) }
/// ```
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: String, Sendable {
        case closed, open, halfOpen = "half_open"

        /// 0 closed, 1 half-open, 2 open (the `/metrics` gauge).
        public var gauge: Double {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }
    }

    public let failureThreshold: Int
    public let openSeconds: Double
    public private(set) var state = State.closed
    public private(set) var consecutiveFailures = 0
    private var openedAt: Double = 0
    private var trialInFlight = false

    public init(failureThreshold: Int, openSeconds: Double) {
        self.failureThreshold = max(1, failureThreshold)
        self.openSeconds = openSeconds
    }

    /// The state as of `now` (an open breaker whose time is up is half-open).
    public func state(at now: Double) -> State {
        state == .open && now - openedAt >= openSeconds ? .halfOpen : state
    }

    /// Whether a request may go to this instance now; in half-open, admits one trial.
    public mutating func admit(now: Double) -> Bool {
        switch state(at: now) {
        case .closed:
            return true
        case .open:
            return false
        case .halfOpen:
            guard !trialInFlight else { return false }
            state = .halfOpen
            trialInFlight = true
            return true
        }
    }

    public mutating func record(success: Bool, now: Double) {
        if success {
            state = .closed
            consecutiveFailures = 0
            trialInFlight = false
            return
        }
        consecutiveFailures += 1
        if state == .halfOpen || consecutiveFailures >= failureThreshold {
            state = .open
            openedAt = now
            trialInFlight = false
        }
    }
}
