import Foundation
import MusterCore
import MusterCrypto

/// One email ready to go: its headers and both bodies, encoded as an RFC 5322
/// message with a MIME `multipart/alternative` body (text first, HTML last, as
/// clients prefer the last part they can show).
///
/// ```swift
/// let email = OutgoingEmail(id: message.id, date: Date(), from: from, to: to, replyTo: nil,
///                           subject: "Reset your password", text: text, html: html)
/// let bytes = email.encoded()     // CRLF lines, none longer than 76 characters
/// ```
public struct OutgoingEmail: Sendable {
    public var id: MessageID
    public var date: Date
    public var from: Mailbox
    public var to: Mailbox
    public var replyTo: MailAddress?
    public var subject: String
    public var text: String
    public var html: String

    public init(id: MessageID, date: Date, from: Mailbox, to: Mailbox, replyTo: MailAddress?, subject: String,
                text: String, html: String) {
        self.id = id
        self.date = date
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// `<message id@sender's domain>`: stable across retries, so that a receiver
    /// can tell a repeated delivery from a new message.
    public var messageIDHeader: String { "<\(id.description)@\(from.address.domain)>" }

    /// The whole message with CRLF line ends. `boundary` is random by default;
    /// it starts with `=_`, which quoted-printable output never contains.
    public func encoded(boundary: String = "=_muster_" + Hex.encode(SecureRandom.bytes(12))) -> [UInt8] {
        var headers = [
            HeaderEncoding.field("Date", [MailDate.format(date)]),
            HeaderEncoding.field("From", HeaderEncoding.mailbox(from)),
            HeaderEncoding.field("To", HeaderEncoding.mailbox(to)),
        ]
        if let replyTo { headers.append(HeaderEncoding.field("Reply-To", ["<\(replyTo.value)>"])) }
        headers += [
            HeaderEncoding.field("Subject", HeaderEncoding.unstructured(subject)),
            HeaderEncoding.field("Message-ID", [messageIDHeader]),
            "MIME-Version: 1.0",
            HeaderEncoding.field("Content-Type", ["multipart/alternative;", "boundary=\"\(boundary)\""]),
            // RFC 3834: no vacation replies or other automatic answers to this message.
            "Auto-Submitted: auto-generated",
            "X-Auto-Response-Suppress: All",
        ]
        // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1), so a part holds exactly its body.
        var lines = headers + ["", "This is a multi-part message in MIME format."]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += [
                "--\(boundary)",
                "Content-Type: \(type); charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "", QuotedPrintable.encode(body),
            ]
        }
        lines += ["--\(boundary)--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }
}
