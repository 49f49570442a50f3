import MusterHTTP

/// A token a request on a client connection proved, and what it proved: what
/// ``TokenVerifier`` leaves in the connection's memory (``ConnectionMemory``) so
/// that the connection's next request with the same token is accepted on a byte
/// comparison. A class: reading it out of the memory's lock costs one retain,
/// not one per field.
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
