import CSystem
import Glibc
import MusterHTTP

/// What one read or write on a connection achieved.
enum TransportResult {
    case transferred(Int)
    /// Try again when the socket is readable (or writable, when `needsWritable`):
    /// TLS may need to write to make progress reading, and the other way round.
    case wouldBlock(needsWritable: Bool)
    case endOfStream
    case failed
}

/// The seam between a connection and its bytes on the wire: the socket itself,
/// or a TLS session over it.
enum ConnectionTransport {
    case plain
    case tls(TLSSession)

    func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        switch self {
        case .plain:
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfStream }
            return Self.blockedOrFailed(errno, needsWritable: false)
        case .tls(let session):
            return session.receive(into: buffer)
        }
    }

    func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> TransportResult {
        switch self {
        case .plain:
            let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .transferred(count) }
            return Self.blockedOrFailed(errno, needsWritable: true)
        case .tls(let session):
            return session.send(bytes)
        }
    }

    /// Ends the sending direction (TLS close_notify, then FIN), keeping the receiving one open.
    func shutdownWrite(_ fd: Int32) {
        if case .tls(let session) = self { session.closeNotify() }
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    var isSecure: Bool {
        if case .tls = self { return true }
        return false
    }

    /// Whether a read may return bytes the socket will not signal (TLS keeps
    /// decrypted records buffered), so reading must go on until it would block.
    var buffersInput: Bool {
        if case .tls = self { return true }
        return false
    }

    private static func blockedOrFailed(_ code: Int32, needsWritable: Bool) -> TransportResult {
        code == EAGAIN || code == EWOULDBLOCK || code == EINTR ? .wouldBlock(needsWritable: needsWritable) : .failed
    }
}
