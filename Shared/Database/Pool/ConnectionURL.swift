import Foundation
import CLibPQ

/// Checks and redacts libpq connection strings, so that no error or log line
/// ever carries a password.
enum ConnectionURL {
    /// Throws if libpq cannot parse `url`; the reason never contains the password.
    static func validate(_ url: String) throws(PoolError) {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            let reason = error.map { String(cString: $0) } ?? "unparsable"
            PQfreemem(error)
            throw .invalidConfiguration(reason: "the database URL \(redacted(url)) is invalid: \(scrub(reason, of: url))")
        }
        PQconninfoFree(options)
    }

    /// `postgresql://user:***@host/db` (also `password=***` in key/value form and query strings).
    static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
               let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        return redactPasswordParameter(in: text)
    }

    private static func redactPasswordParameter(in text: String) -> String {
        guard let key = text.range(of: "password=") else { return text }
        var end = key.upperBound
        if end < text.endIndex, text[end] == "'" {
            end = text[text.index(after: end)...].firstIndex(of: "'").map { text.index(after: $0) } ?? text.endIndex
        } else {
            end = text[end...].firstIndex(where: { $0 == " " || $0 == "&" }) ?? text.endIndex
        }
        return text.replacingCharacters(in: key.upperBound..<end, with: "***")
    }

    /// Removes any fragment of the password libpq may have quoted back.
    private static func scrub(_ message: String, of url: String) -> String {
        let redactedURL = redacted(url)
        guard redactedURL != url else { return message }
        let secretParts = url.split(whereSeparator: { ":@/?&= '".contains($0) }).map(String.init)
            .filter { !redactedURL.contains($0) }
        return secretParts.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
