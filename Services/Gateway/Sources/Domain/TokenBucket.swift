/// A token bucket: `burst` requests at once, refilled at `perSecond`.
///
/// ```swift
/// var bucket = TokenBucket(rate: RateLimit(count: 60, per: 60, burst: 20), now: 0)
/// let decision = bucket.take(now: 0.5)   // allowed, 19 left
/// ```
public struct TokenBucket: Sendable {
    public let rate: RateLimit
    private var tokens: Double
    private var updated: Double

    public init(rate: RateLimit, now: Double) {
        self.rate = rate
        tokens = Double(rate.burst)
        updated = now
    }

    public struct Decision: Sendable, Equatable {
        public let allowed: Bool
        /// Whole requests left right now.
        public let remaining: Int
        /// Seconds until the next request would be allowed (0 when allowed).
        public let retryAfter: Int
        /// Seconds until the bucket is full again.
        public let resetAfter: Int
    }

    public mutating func take(now: Double) -> Decision {
        refill(now)
        let allowed = tokens >= 1
        if allowed { tokens -= 1 }
        let perSecond = rate.perSecond
        let retryAfter = allowed ? 0 : Int(((1 - tokens) / perSecond).rounded(.up))
        let resetAfter = Int(((Double(rate.burst) - tokens) / perSecond).rounded(.up))
        return Decision(allowed: allowed, remaining: Int(tokens), retryAfter: max(allowed ? 0 : 1, retryAfter),
                        resetAfter: max(0, resetAfter))
    }

    /// Full and untouched for a while: the entry can be dropped (a new one starts full).
    public func isIdle(now: Double) -> Bool {
        var copy = self
        copy.refill(now)
        return copy.tokens >= Double(rate.burst)
    }

    private mutating func refill(_ now: Double) {
        guard now > updated else { return }
        tokens = min(Double(rate.burst), tokens + (now - updated) * rate.perSecond)
        updated = now
    }
}

/// `count` requests per `per` seconds, with bursts up to `burst`; written `60/60s:20`.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public let count: Int
    public let per: Int
    public let burst: Int

    public init(count: Int, per: Int, burst: Int) {
        self.count = count
        self.per = per
        self.burst = burst
    }

    public var perSecond: Double { Double(count) / Double(per) }

    /// Parses `COUNT/SECONDSs:BURST` (e.g. `60/60s:20`); nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let burst = Int(parts[1]), burst > 0 else { return nil }
        let rate = parts[0].split(separator: "/")
        guard rate.count == 2, let count = Int(rate[0]), count > 0, rate[1].hasSuffix("s"),
              let per = Int(rate[1].dropLast()), per > 0 else { return nil }
        self.init(count: count, per: per, burst: burst)
    }

    public var description: String { "\(count)/\(per)s:\(burst)" }
}
