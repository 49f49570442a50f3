import CSystem
import Glibc
import MusterHTTP
import MusterTime

/// A socket other than a client connection that an event loop watches for a
/// component running on that loop (an upstream connection of the proxy client).
///
/// Channels live on their loop's thread only: registered, notified and removed
/// there. A channel's events and deadline reach it through the loop's
/// ``LoopContext``; its id is a ``ConnectionID`` whose generation is marked as a
/// channel's, so that client connections and channels share epoll and the
/// deadline heap without being confused.
package protocol LoopChannel: AnyObject {
    /// The socket became readable, writable, or reported an error or hang-up.
    func ready(events: UInt32, _ context: LoopContext)
    /// The deadline the channel set with ``LoopContext/setDeadline(_:for:)`` has passed.
    func deadlineReached(_ context: LoopContext)
    /// The loop is stopping: fail whatever waits and close the socket.
    func loopStopped(_ context: LoopContext)
}

extension ConnectionID {
    /// Generations of client connections use the low 30 bits; channels set this bit.
    /// (The listener's and the wake-up's tags have both top bits set.)
    static let channelMark: UInt32 = 0x4000_0000
    static let generationMask: UInt32 = 0x3FFF_FFFF

    var isChannel: Bool { generation & 0xC000_0000 == Self.channelMark }
}

/// One registered channel and the deadline bookkeeping the loop keeps for it.
struct ChannelSlot {
    let id: ConnectionID
    let channel: any LoopChannel
    var deadline: Int64?
    /// The time of the channel's live entry in the deadline heap.
    var scheduledAt: Int64?
}

extension LoopContext {
    /// Watches `fd` for `events` on behalf of `channel`; `nil` when epoll refuses it.
    package func register(_ channel: any LoopChannel, fd: Int32, events: UInt32) -> ConnectionID? {
        nextChannelGeneration = (nextChannelGeneration &+ 1) & ConnectionID.generationMask
        let id = ConnectionID(fd: fd, generation: ConnectionID.channelMark | nextChannelGeneration)
        guard Epoll.add(loop.epollFD, fd, events: events, data: id.packed) else { return nil }
        if channels.count <= Int(fd) {
            channels.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - channels.count))
        }
        channels[Int(fd)] = ChannelSlot(id: id, channel: channel)
        return id
    }

    package func modify(_ id: ConnectionID, events: UInt32) {
        Epoll.modify(loop.epollFD, id.fd, events: events, data: id.packed)
    }

    /// Forgets the channel; the caller closes the socket afterwards.
    package func unregister(_ id: ConnectionID) {
        guard slotIndex(id) != nil else { return }
        Epoll.remove(loop.epollFD, id.fd)
        channels[Int(id.fd)] = nil
    }

    /// Sets (or with `nil` clears) the channel's deadline, in `MonotonicInstant` nanoseconds.
    package func setDeadline(_ time: Int64?, for id: ConnectionID) {
        guard let index = slotIndex(id) else { return }
        channels[index]?.deadline = time
        guard let time, channels[index]?.scheduledAt.map({ time < $0 }) ?? true else { return }
        channels[index]?.scheduledAt = time
        deadlines.push(DeadlineHeap.Entry(time: time, connection: id))
    }

    func channelReady(_ id: ConnectionID, events: UInt32) {
        guard let index = slotIndex(id), let slot = channels[index] else { return }
        slot.channel.ready(events: events, self)
    }

    /// A heap entry of a channel came due: notify it if its deadline has passed, else re-arm.
    func channelDeadlineDue(_ entry: DeadlineHeap.Entry) {
        guard let index = slotIndex(entry.connection), var slot = channels[index], slot.scheduledAt == entry.time else { return }
        slot.scheduledAt = nil
        channels[index] = slot
        guard let time = slot.deadline else { return }
        if time <= now {
            channels[index]?.deadline = nil
            slot.channel.deadlineReached(self)
        } else {
            setDeadline(time, for: slot.id)
        }
    }

    /// Tells every channel the loop is stopping.
    func stopChannels() {
        for case let slot? in channels { slot.channel.loopStopped(self) }
        channels.removeAll()
    }

    /// State a component keeps per loop (its connection pools), created on first use.
    package func local<Value: AnyObject>(_ key: ObjectIdentifier, create: () -> Value) -> Value {
        if let value = locals.first(where: { $0.key == key })?.value as? Value { return value }
        let value = create()
        locals.append((key, value))
        return value
    }

    private func slotIndex(_ id: ConnectionID) -> Int? {
        guard id.fd >= 0, Int(id.fd) < channels.count, channels[Int(id.fd)]?.id == id else { return nil }
        return Int(id.fd)
    }
}
