import COpenSSL

/// What can go wrong in `MusterCrypto`. Messages never contain key material.
public enum CryptoError: Error, Equatable, CustomStringConvertible {
    /// Input of the wrong shape: bad encoding, wrong length, unknown format.
    case malformed(String)
    /// A key that OpenSSL refuses, or of the wrong size or type.
    case invalidKey(String)
    /// Sealed data that does not open: wrong key, wrong associated data, or tampered.
    case authenticationFailed
    /// A wrapped key names a master key the ring does not hold.
    case unknownMasterKey(String)
    /// An OpenSSL call failed; `detail` is OpenSSL's error queue.
    case openSSL(function: String, detail: String)

    public var description: String {
        switch self {
        case .malformed(let what): "malformed \(what)"
        case .invalidKey(let why): "invalid key: \(why)"
        case .authenticationFailed: "authentication failed"
        case .unknownMasterKey(let id): "unknown master key \(id)"
        case .openSSL(let function, let detail): "\(function) failed: \(detail)"
        }
    }

    /// Drains OpenSSL's per-thread error queue into a `.openSSL` error, so that a
    /// failure leaves no stale entry behind for the next call on this thread.
    static func openSSL(_ function: String) -> CryptoError {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return .openSSL(function: function, detail: messages.isEmpty ? "no detail" : messages.joined(separator: "; "))
    }
}

/// Throws `CryptoError.openSSL` unless an OpenSSL call returned 1 (its "success").
@inline(__always)
func check(_ result: Int32, _ function: @autoclosure () -> String) throws(CryptoError) {
    guard result == 1 else { throw CryptoError.openSSL(function()) }
}
