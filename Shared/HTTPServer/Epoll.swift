import CSystem
import Glibc
import MusterHTTP

/// Thin wrappers over `epoll_ctl` for one loop's epoll instance.
package enum Epoll {
    package static let readable = EPOLLIN.rawValue
    package static let writable = EPOLLOUT.rawValue
    package static let errorOrHangUp = EPOLLERR.rawValue | EPOLLHUP.rawValue
    /// Reported once per change rather than while the condition holds: an
    /// answered socket is not polled again on the next wait.
    static let edgeTriggered = EPOLLET.rawValue
    /// The peer shut its sending side (asked for with edge triggering: a FIN
    /// that came with the last data gets no notice of its own).
    static let peerShutdown = EPOLLRDHUP.rawValue

    static func add(_ epollFD: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Bool {
        control(epollFD, EPOLL_CTL_ADD, fd, events: events, data: data)
    }

    static func modify(_ epollFD: Int32, _ fd: Int32, events: UInt32, data: UInt64) {
        _ = control(epollFD, EPOLL_CTL_MOD, fd, events: events, data: data)
    }

    static func remove(_ epollFD: Int32, _ fd: Int32) {
        _ = control(epollFD, EPOLL_CTL_DEL, fd, events: 0, data: 0)
    }

    private static func control(_ epollFD: Int32, _ operation: Int32, _ fd: Int32, events: UInt32, data: UInt64) -> Bool {
        var event = epoll_event()
        event.events = events
        event.data.u64 = data
        return epoll_ctl(epollFD, operation, fd, &event) == 0
    }
}
