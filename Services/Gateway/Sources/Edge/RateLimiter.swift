import MusterAuth
import MusterCore
import MusterHTTP
import MusterTime
import Synchronization

/// Token buckets by key (a client address, a user, an agency) for one limit.
///
/// Buckets that have refilled completely are dropped when the table grows, so
/// memory follows the number of recently active clients, not all ever seen.
final class RateLimiter: Sendable {
    let name: String
    let limit: RateLimit
    private let buckets = Mutex<[String: TokenBucket]>([:])
    private static let sweepAbove = 50_000

    init(name: String, limit: RateLimit) {
        self.name = name
        self.limit = limit
    }

    func take(_ key: String, now: Double) -> TokenBucket.Decision {
        buckets.withLock { buckets in
            if buckets.count > Self.sweepAbove { buckets = buckets.filter { !$0.value.isIdle(now: now) } }
            return buckets[key, default: TokenBucket(rate: limit, now: now)].take(now: now)
        }
    }

    /// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF draft) for `decision`.
    func headers(_ decision: TokenBucket.Decision) -> HTTPHeaders {
        ["RateLimit-Limit": String(limit.burst), "RateLimit-Remaining": String(decision.remaining),
         "RateLimit-Reset": String(decision.resetAfter),
         "RateLimit-Policy": "\(limit.burst);w=\(max(1, limit.per * limit.burst / limit.count))"]
    }

    /// `429` with `Retry-After` and the `RateLimit-*` fields.
    func refusal(_ decision: TokenBucket.Decision) -> HTTPError {
        var error = HTTPError.tooManyRequests(retryAfter: decision.retryAfter)
        for field in headers(decision) { error.headers.add(field.name, field.value) }
        return error
    }
}

/// The Gateway's limits: per address on the public auth routes, per user and per
/// agency elsewhere. Refusals are counted in `gateway_rate_limited_total{limit}`.
struct RateLimits: Sendable {
    let perAddress: RateLimiter
    let perUser: RateLimiter
    let perAgency: RateLimiter
    let refused: MetricsRegistry.Counter

    init(configuration: GatewayConfiguration, metrics: MetricsRegistry) {
        perAddress = RateLimiter(name: "address", limit: configuration.authLimit)
        perUser = RateLimiter(name: "user", limit: configuration.userLimit)
        perAgency = RateLimiter(name: "agency", limit: configuration.agencyLimit)
        refused = metrics.counter("gateway_rate_limited_total", help: "Requests refused by a Gateway rate limit.", labels: ["limit"])
    }

    /// Takes a token for an auth request from `address`; returns the `RateLimit-*` headers to add.
    func admit(address: String) throws(HTTPError) -> HTTPHeaders {
        let decision = perAddress.take(address, now: CoarseClock.seconds)
        guard decision.allowed else {
            refused.increment([perAddress.name])
            throw perAddress.refusal(decision)
        }
        return perAddress.headers(decision)
    }

    /// Takes a token from the user's and the agency's buckets.
    func admit(user: UserPrincipal) throws(HTTPError) {
        let now = CoarseClock.seconds
        for (limiter, key) in [(perUser, user.userID.description), (perAgency, user.agencyID.description)] {
            let decision = limiter.take(key, now: now)
            guard decision.allowed else {
                refused.increment([limiter.name])
                throw limiter.refusal(decision)
            }
        }
    }
}
