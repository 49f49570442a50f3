import Synchronization

/// What a client connection remembers from one request to the next, for a layer
/// above the transport: the auth layer keeps the bearer token the last request
/// proved and the user it proved (`VerifiedUser`), since a browser sends the same
/// token on every request of its keep-alive connection and the next check can then
/// compare bytes instead of digesting the token and consulting a shared cache.
///
/// One per connection, made by the server and reachable as
/// `request.context.connection`; it goes with the connection, whose input buffer
/// held the token anyway. It holds one object, opaque here: the layer that
/// remembers it decides what it is and when it is still good.
///
/// ```swift
/// if let known = request.context.connection?.remembered as? VerifiedUser, known.owner == ObjectIdentifier(self), … { … }
/// request.context.connection?.remembered = VerifiedUser(…)
/// ```
public final class ConnectionMemory: Sendable {
    private let value = Mutex<(any AnyObject & Sendable)?>(nil)

    public init() {}

    /// A class instance, so that reading it out of the lock costs one retain.
    public var remembered: (any AnyObject & Sendable)? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
