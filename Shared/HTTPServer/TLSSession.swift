import COpenSSL
import MusterHTTP

/// One connection's OpenSSL `SSL` object, used only on its loop's thread.
final class TLSSession {
    private let ssl: OpaquePointer

    init?(context: TLSContext, fd: Int32) {
        guard let ssl = SSL_new(context.context) else { return nil }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        SSL_set_accept_state(ssl)
    }

    deinit { SSL_free(ssl) }

    func receive(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        ERR_clear_error()
        let count = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        return count > 0 ? .transferred(Int(count)) : outcome(of: count)
    }

    func send(_ bytes: UnsafeRawBufferPointer) -> TransportResult {
        ERR_clear_error()
        let count = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        return count > 0 ? .transferred(Int(count)) : outcome(of: count)
    }

    /// Sends close_notify; the peer's reply is not awaited.
    func closeNotify() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
    }

    private func outcome(of result: Int32) -> TransportResult {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wouldBlock(needsWritable: false)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(needsWritable: true)
        case SSL_ERROR_ZERO_RETURN: return .endOfStream
        default:
            ERR_clear_error()
            return .failed
        }
    }
}
