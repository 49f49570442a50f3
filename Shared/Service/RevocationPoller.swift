import MusterAuth
import MusterContracts
import MusterCore

/// Keeps a service's `TokenVerifier` in step with Identity's revocations: polls
/// `GET /internal/revocations?since=<cursor>` every `interval` (default 15 s, so a
/// revoked session or a suspended agency is refused everywhere within a minute),
/// invalidates each revoked session and replaces the set of suspended agencies.
/// `ServiceMain` starts it for every service whose definition `pollsRevocations`
/// (all but Identity, which checks its database on each request instead).
///
/// ```swift
/// let poller = RevocationPoller(peers: context.peers, tokens: context.tokens, interval: .seconds(15), logger: context.logger)
/// BackgroundTask(name: "revocations") { await poller.run() }
/// ```
public struct RevocationPoller: Sendable {
    /// `MUSTER_REVOCATION_POLL_MS`.
    public static let intervalVariable = "MUSTER_REVOCATION_POLL_MS"

    let peers: PeerClient
    let tokens: TokenVerifier
    let interval: Duration
    let logger: Logger

    public init(peers: PeerClient, tokens: TokenVerifier, interval: Duration, logger: Logger) {
        self.peers = peers
        self.tokens = tokens
        self.interval = interval
        self.logger = logger
    }

    /// Polls until the task is cancelled; a failed poll is retried at the next turn.
    public func run() async {
        var cursor: String?
        var failing = false
        while !Task.isCancelled {
            do {
                var more = true
                while more {
                    let feed = try await poll(since: cursor)
                    for session in feed.revokedSessions { tokens.invalidate(session: session) }
                    tokens.replaceSuspendedAgencies(Set(feed.suspendedAgencies))
                    cursor = feed.nextCursor
                    more = feed.hasMore
                }
                if failing { logger.info("revocation feed reachable again") }
                failing = false
            } catch is CancellationError {
                return
            } catch {
                // Once per outage, not every turn.
                if !failing { logger.warning("revocation feed unavailable; retrying", ["error": "\(error)"]) }
                failing = true
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func poll(since cursor: String?) async throws -> RevocationFeed {
        let path = RevocationFeed.path + (cursor.map { "?since=\($0)" } ?? "")
        let response = try await peers.send(.identity, .get, path)
        guard response.isSuccess else {
            throw PeerError(service: .identity, path: path, status: response.status.rawValue,
                            body: String(decoding: response.body.prefix(512), as: UTF8.self))
        }
        return try JSONCoding.decode(RevocationFeed.self, from: response.body)
    }
}
