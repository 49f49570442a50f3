import Foundation

/// An email address Notify sends to or from: `local@domain`, ASCII only, as
/// SMTP without the SMTPUTF8 extension carries it.
///
/// Parsing is strict on purpose: an address ends up in the SMTP envelope and in
/// headers, so anything that could break out of either (spaces, `<>`, quotes,
/// control characters, CR/LF) is refused rather than escaped.
///
/// ```swift
/// MailAddress("officer.lee@metro-pd.example")?.domain   // "metro-pd.example"
/// MailAddress("Lee <lee@x.example>")                     // nil: a bare address only
/// ```
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        guard Self.isLocalPart(local), Self.isDomain(domain) else { return nil }
        value = text
    }

    public var domain: Substring { value[value.index(after: value.lastIndex(of: "@")!)...] }
    public var description: String { value }

    /// Dot-separated runs of RFC 5322 `atext` (no quoted local parts).
    private static func isLocalPart(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy(isAtext)
        }
    }

    /// Host name labels: letters, digits and inner hyphens, 1–63 each.
    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (1...253).contains(bytes.count) else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// RFC 5322 `atext`: what an atom may hold without quoting.
    static func isAtext(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
    }
}

/// A display name and an address, as in `From:` and `To:`.
public struct Mailbox: Sendable, Hashable {
    public var name: String?
    public var address: MailAddress

    public init(name: String?, address: MailAddress) {
        self.name = name
        self.address = address
    }

    /// Parses `Name <address>` or a bare address (the form of `MUSTER_MAIL_FROM`).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            guard let address = MailAddress(String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])) else {
                return nil
            }
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            self.init(name: name.isEmpty ? nil : name, address: address)
        } else {
            guard let address = MailAddress(trimmed) else { return nil }
            self.init(name: nil, address: address)
        }
    }
}
