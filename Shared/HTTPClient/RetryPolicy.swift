import MusterCore
import MusterHTTP

/// When and how soon ``HTTPClient`` repeats a request.
///
/// Only idempotent requests (``HTTPClientRequest/isIdempotent``) are repeated, and
/// only after a connection failure or a `502`/`503`/`504`: a timeout or any other
/// status is returned as is. Waits follow a ``Backoff`` with equal jitter, so
/// replicas that failed together do not retry together; a `Retry-After` longer than
/// ``maxBackoff`` ends the retries rather than stalling the caller.
///
/// ```swift
/// var configuration = HTTPClient.Configuration()
/// configuration.retry = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100))
/// configuration.retry = .never
/// ```
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each further one.
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(50), maxBackoff: Duration = .seconds(1)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// One attempt only.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// Why an attempt might be repeated.
    enum Reason {
        case failure(HTTPClientError)
        case status(HTTPStatus, retryAfter: String?)
    }

    /// The wait before attempt `attempt` (2 for the first retry), or `nil` when
    /// the outcome is final.
    func delay(beforeAttempt attempt: Int, after reason: Reason) -> Duration? {
        guard attempt <= maxAttempts else { return nil }
        let backoff = jitteredBackoff(beforeAttempt: attempt)
        switch reason {
        case .failure(let error):
            return [.connectionFailed, .connectionLost].contains(error.kind) ? backoff : nil
        case .status(let status, let retryAfter):
            guard [502, 503, 504].contains(status.rawValue) else { return nil }
            guard let seconds = retryAfter.flatMap({ Int($0) }) else { return backoff }
            let asked = Duration.seconds(max(0, seconds))
            return asked <= maxBackoff ? max(asked, backoff) : nil
        }
    }

    /// Half the exponential step fixed, half random, capped at `maxBackoff`.
    private func jitteredBackoff(beforeAttempt attempt: Int) -> Duration {
        Backoff(base: initialBackoff, cap: maxBackoff, jitter: .equal).delay(afterFailures: attempt - 1)
    }
}
