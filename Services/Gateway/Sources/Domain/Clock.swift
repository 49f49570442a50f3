import MusterCore

/// Monotonic seconds, for breakers and token buckets: never moved by the wall
/// clock, and coarse (a few milliseconds), since both are read on every request.
enum Clock {
    static var seconds: Double { Double(CoarseClock.now) / 1e9 }
}
