import Glibc
import MusterHTTP

/// Reading `Authorization: Bearer <token>` (RFC 6750 §2.1) and answering when it fails.
enum BearerToken {
    /// The token of a `Bearer` header value (scheme case-insensitive), or `nil`.
    static func from(_ value: String?) -> Substring? {
        // Scanned as contiguous bytes: character by character, a token of several
        // hundred bytes cost more than all the rest of proxying a request.
        guard var value else { return nil }
        let start: Int? = value.withUTF8 { bytes in
            let scheme = "bearer "
            guard bytes.count > scheme.utf8.count,
                  zip(bytes, scheme.utf8).allSatisfy({ $0 == $1 || ($0 | 0x20 == $1 && $1 >= UInt8(ascii: "a")) }) else { return nil }
            var start = scheme.utf8.count
            while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
            guard start < bytes.count, memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: " ")), bytes.count - start) == nil
            else { return nil }
            return start
        }
        guard let start else { return nil }
        return value[value.utf8.index(value.startIndex, offsetBy: start)...]
    }

    /// `401` with the `WWW-Authenticate` challenge: plain when no token came,
    /// `error="invalid_token"` when one came and was refused.
    static func challenge(invalid: Bool) -> HTTPError {
        var error = invalid
            ? HTTPError.unauthorized("The access token is invalid or expired.", code: "invalid_token")
            : HTTPError.unauthorized()
        error.headers["WWW-Authenticate"] = invalid ? "Bearer error=\"invalid_token\"" : "Bearer"
        return error
    }
}
