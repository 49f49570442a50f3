/// How long an agency keeps its audit trail: whole years, default 7, at least 1.
///
/// The purge removes only a whole prefix of the chain — every event up to the
/// last one recorded before the cutoff — after signing a checkpoint at the cut,
/// so what remains still verifies from that checkpoint.
///
/// ```swift
/// let policy = try RetentionPolicy(years: 10)
/// RetentionPolicy.purgeThrough(firstKeptSeq: 5_001, head: 9_000, alreadyCut: 0)   // 5000: purge 1…5000
/// ```
public struct RetentionPolicy: Sendable, Equatable {
    public static let defaultYears = 7
    public static let minimumYears = 1
    public static let maximumYears = 100

    public let years: Int

    public struct Invalid: Error, Equatable {
        public let message: String
    }

    public init(years: Int) throws(Invalid) {
        guard (Self.minimumYears...Self.maximumYears).contains(years) else {
            throw Invalid(message: "retention_years must be from \(Self.minimumYears) to \(Self.maximumYears).")
        }
        self.years = years
    }

    public static let standard = try! RetentionPolicy(years: defaultYears)

    /// The last seq to purge, given the first event recorded at or after the cutoff
    /// (`nil`: every event is older) and the chain's head; nil when nothing is due.
    /// `recorded_at` never decreases along the chain, so this is a whole prefix.
    public static func purgeThrough(firstKeptSeq: Int64?, head: Int64, alreadyCut: Int64) -> Int64? {
        let through = (firstKeptSeq ?? head + 1) - 1
        return through > alreadyCut ? through : nil
    }
}
