import MusterCrypto

/// Header values as RFC 5322 and RFC 2047 want them: printable ASCII only,
/// anything else in UTF-8 encoded words (`=?UTF-8?B?…?=`), folded so that
/// lines stay within 76 characters where a break is possible (RFC 2047's limit
/// for lines with encoded words; always far below the hard limit of 998 octets).
///
/// ```swift
/// HeaderEncoding.field("Subject", HeaderEncoding.unstructured("Café training"))
/// // "Subject: =?UTF-8?B?Q2Fmw6kgdHJhaW5pbmc=?="
/// HeaderEncoding.field("To", HeaderEncoding.mailbox(Mailbox(name: "Lee, Alex", address: a)))
/// // "To: \"Lee, Alex\" <alex@x.example>"
/// ```
public enum HeaderEncoding {
    /// Lines are folded before they would pass this length.
    static let preferredLineLength = 76
    /// RFC 2047 allows 75; shorter words let `Subject: ` and the first word share a 76-character line.
    static let maxEncodedWordLength = 64
    private static let wordPrefix = "=?UTF-8?B?", wordSuffix = "?="
    /// A word longer than this in plain ASCII text is encoded instead, so that it can be split.
    private static let longestPlainWord = 64

    /// A header line `Name: value`, the value's tokens joined by spaces and folded.
    public static func field(_ name: String, _ tokens: [String]) -> String {
        var output = name + ":"
        var lineLength = output.utf8.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > preferredLineLength, lineLength > name.utf8.count + 1 {
                output += "\r\n"
                lineLength = 0
            }
            output += " " + token
            lineLength += 1 + length
        }
        return output
    }

    /// Free text (`Subject:`): control characters become spaces, runs of spaces
    /// collapse; plain ASCII stays readable, anything else becomes encoded words.
    public static func unstructured(_ text: String) -> [String] {
        let words = sanitized(text).split(separator: " ").map(String.init)
        let plain = words.allSatisfy { word in
            word.utf8.count <= longestPlainWord && word.utf8.allSatisfy { (0x21...0x7E).contains($0) } && !word.contains("=?")
        }
        return plain ? words : encodedWords(words.joined(separator: " "))
    }

    /// `Name <address>`, the name as atoms, a quoted string or encoded words.
    public static func mailbox(_ mailbox: Mailbox) -> [String] {
        let address = "<\(mailbox.address.value)>"
        guard let name = mailbox.name.map(sanitized), !name.isEmpty else { return [address] }
        return phrase(name) + [address]
    }

    /// A display name: atoms as they are, other printable ASCII quoted, the rest encoded.
    static func phrase(_ name: String) -> [String] {
        let bytes = name.utf8
        guard bytes.allSatisfy({ (0x20...0x7E).contains($0) }), !name.contains("=?") else { return encodedWords(name) }
        if name.split(separator: " ").allSatisfy({ $0.utf8.allSatisfy(MailAddress.isAtext) }) { return [name] }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return [quoted + "\""]
    }

    /// Control characters (CR and LF among them: no header injection) become
    /// spaces; leading, trailing and repeated spaces go.
    public static func sanitized(_ text: String) -> String {
        var output = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let isSpaceOrControl = scalar.isASCII
                ? scalar.value <= 0x20 || scalar.value == 0x7F
                : scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
            if isSpaceOrControl {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace { output.append(" ") }
            pendingSpace = false
            output.unicodeScalars.append(scalar)
        }
        return output
    }

    /// UTF-8 B-encoded words of whole Unicode scalars, each at most `maxEncodedWordLength` characters.
    static func encodedWords(_ text: String) -> [String] {
        let overhead = wordPrefix.utf8.count + wordSuffix.utf8.count
        // Base64 turns 3 bytes into 4 characters: the most bytes that fit one word.
        let maxBytes = (maxEncodedWordLength - overhead) / 4 * 3
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if chunk.count + encoded.count > maxBytes {
                words.append(wordPrefix + Base64.encode(chunk) + wordSuffix)
                chunk = []
            }
            chunk += encoded
        }
        if !chunk.isEmpty || words.isEmpty { words.append(wordPrefix + Base64.encode(chunk) + wordSuffix) }
        return words
    }
}
