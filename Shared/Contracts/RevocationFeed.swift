import MusterCore

/// `GET /internal/revocations?since=<cursor>` on Identity: what every other service
/// must refuse from now on. `suspendedAgencies` is the whole current set (small);
/// `revokedSessions` only those after `since`, oldest first, `hasMore` when the
/// page was full. Pass `nextCursor` as the next `since`.
public struct RevocationFeed: Codable, Sendable, Equatable {
    public static let path = "/internal/revocations"

    public var revokedSessions: [SessionID]
    public var suspendedAgencies: [AgencyID]
    public var nextCursor: String
    public var hasMore: Bool

    public init(revokedSessions: [SessionID], suspendedAgencies: [AgencyID], nextCursor: String, hasMore: Bool) {
        self.revokedSessions = revokedSessions
        self.suspendedAgencies = suspendedAgencies
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }
}
