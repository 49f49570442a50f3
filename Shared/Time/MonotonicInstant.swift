import Glibc

/// A moment on `CLOCK_MONOTONIC`, in nanoseconds: what a request's duration is
/// measured from, and the event loops' clock for deadlines (which must not move
/// when the wall clock is set). `ContinuousClock.Instant` is a resilient type of
/// the standard library whose layout is known only at run time, so every value
/// carrying one (a proxied request's completion) would be copied through the
/// runtime; this one is a plain integer.
///
/// ```swift
/// let started = MonotonicInstant.now
/// requests.record(route: route, status: 200, since: started)
/// ```
public struct MonotonicInstant: Sendable {
    /// Nanoseconds since an arbitrary start (the host's boot).
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static var now: MonotonicInstant {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return MonotonicInstant(nanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    /// Seconds from this instant until now.
    public var secondsElapsed: Double {
        Double(Self.now.nanoseconds - nanoseconds) / 1e9
    }
}
