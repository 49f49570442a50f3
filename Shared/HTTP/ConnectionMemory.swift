import MusterCore
import Synchronization

/// What a client connection remembers from one request to the next: the bearer
/// token its last request proved and the user it proved. A browser sends the same
/// token on every request of its keep-alive connection, so the next check can
/// compare bytes instead of digesting the token and consulting a shared cache.
///
/// One per connection, made by the server and reachable as
/// `request.context.connection`; it goes with the connection, whose input buffer
/// held the token anyway. Only ``TokenVerifier``-like checkers write it, and they
/// decide when what it holds is still good (`owner`, `generation`, `validUntil`).
///
/// ```swift
/// if let known = request.context.connection?.verifiedUser, known.owner == ObjectIdentifier(self), … { return known.user }
/// ```
public final class ConnectionMemory: Sendable {
    /// A token a request on this connection proved, and what it proved (a class: reading
    /// it out of the lock costs one retain, not one per field).
    public final class VerifiedUser: Sendable {
        public let token: String
        public let user: UserPrincipal
        /// Who checked it: another checker must not take its word.
        public let owner: ObjectIdentifier
        /// The checker's revocation generation when it checked: any revocation since voids it.
        public let generation: UInt64
        /// Until when (seconds since the epoch) it holds without checking the time again.
        public let validUntil: Int

        public init(token: String, user: UserPrincipal, owner: ObjectIdentifier, generation: UInt64, validUntil: Int) {
            self.token = token
            self.user = user
            self.owner = owner
            self.generation = generation
            self.validUntil = validUntil
        }
    }

    private let verified = Mutex<VerifiedUser?>(nil)

    public init() {}

    public var verifiedUser: VerifiedUser? {
        get { verified.withLock { $0 } }
        set { verified.withLock { $0 = newValue } }
    }
}
