import Synchronization

/// The idle connections of one event loop that its own thread gave back,
/// kept for that thread's next caller (see ``Leases``). Taking one and giving
/// it back costs this loop's own lock, which only its thread uses in the
/// usual case, instead of the pool's, whose cache line every loop pulls over
/// on every query.
final class Shelf: Sendable {
    private let connections = Mutex<[Connection]>([])

    func put(_ connection: Connection) {
        connections.withLock { $0.append(connection) }
    }

    /// The most recently put, if any.
    func take() -> Connection? {
        connections.withLock { $0.popLast() }
    }

    /// Takes `connection` back off; `false` if someone else took it first.
    func remove(_ connection: Connection) -> Bool {
        connections.withLock { connections in
            guard let index = connections.lastIndex(where: { $0 === connection }) else { return false }
            connections.remove(at: index)
            return true
        }
    }

    func takeAll() -> [Connection] {
        connections.withLock { connections in
            defer { connections.removeAll() }
            return connections
        }
    }

    var count: Int { connections.withLock { $0.count } }
}
