import Foundation
import MusterCore
import MusterCrypto
import NotifyService
import Testing

@Suite struct MailEncodingTests {
    let from = Mailbox(name: "Metro PD", address: MailAddress("no-reply@muster.example")!)

    @Test func addressesAreStrict() {
        for good in ["a@b.example", "officer.lee+training@metro-pd.example", "x_y@localhost", "o'brien@x.example"] {
            #expect(MailAddress(good) != nil, "\(good)")
        }
        for bad in ["", "no-at", "@x.example", "a@", "a..b@x.example", ".a@x.example", "a@-x.example", "a b@x.example",
                    "a@x.example\r\nBcc: evil@y.example", "<a@x.example>", "jürgen@x.example", "a@x_y.example",
                    String(repeating: "a", count: 65) + "@x.example"] {
            #expect(MailAddress(bad) == nil, "\(bad.debugDescription)")
        }
        let parsed = Mailbox(parsing: "\"Muster Alerts\" <alerts@muster.example>")
        #expect(parsed?.name == "Muster Alerts")
        #expect(parsed?.address.value == "alerts@muster.example")
        #expect(Mailbox(parsing: "alerts@muster.example")?.name == nil)
        #expect(Mailbox(parsing: "Alerts <not an address>") == nil)
    }

    @Test func headerValuesNeverCarryLineBreaks() {
        #expect(HeaderEncoding.sanitized("Hi\r\nBcc: evil@x.example\t there ") == "Hi Bcc: evil@x.example there")
        let field = HeaderEncoding.field("Subject", HeaderEncoding.unstructured("Reset\r\nBcc: x@y.example"))
        #expect(field == "Subject: Reset Bcc: x@y.example")
    }

    @Test func nonASCIISubjectsBecomeShortEncodedWords() throws {
        let subject = "Schießtraining für Jürgen Müller — Übung 3 🚓 " + String(repeating: "é", count: 80)
        let words = HeaderEncoding.unstructured(subject)
        #expect(words.count > 2)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 64)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            decoded += try Base64.decode(word.dropFirst(10).dropLast(2))
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        let field = HeaderEncoding.field("Subject", words)
        for line in field.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
    }

    @Test func plainSubjectsStayReadableAndFold() {
        let subject = Array(repeating: "Firearms", count: 20).joined(separator: " ")
        let field = HeaderEncoding.field("Subject", HeaderEncoding.unstructured(subject))
        let lines = field.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        for line in lines { #expect(line.utf8.count <= 76) }
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(field.replacingOccurrences(of: "\r\n", with: "") == "Subject: " + subject)
        // Text that merely looks like an encoded word is encoded, so that no reader decodes it.
        #expect(HeaderEncoding.unstructured("=?UTF-8?B?SGk=?=")[0] != "=?UTF-8?B?SGk=?=")
    }

    @Test func displayNamesAreQuotedOrEncoded() {
        let address = MailAddress("alex@x.example")!
        #expect(HeaderEncoding.mailbox(Mailbox(name: "Alex Morgan", address: address)) == ["Alex Morgan", "<alex@x.example>"])
        #expect(HeaderEncoding.mailbox(Mailbox(name: "Morgan, Alex \"AJ\"", address: address))
            == ["\"Morgan, Alex \\\"AJ\\\"\"", "<alex@x.example>"])
        #expect(HeaderEncoding.mailbox(Mailbox(name: "Zoë", address: address)) == ["=?UTF-8?B?Wm/Dqw==?=", "<alex@x.example>"])
        #expect(HeaderEncoding.mailbox(Mailbox(name: nil, address: address)) == ["<alex@x.example>"])
    }

    @Test func quotedPrintableKeepsLinesShortAndEncodesWhatItMust() {
        #expect(QuotedPrintable.encode("Grüße\n") == "Gr=C3=BC=C3=9Fe\r\n")
        #expect(QuotedPrintable.encode("a = b") == "a =3D b")
        #expect(QuotedPrintable.encode("trailing \nspace\t") == "trailing=20\r\nspace=09")
        #expect(QuotedPrintable.encode(".\n.x") == "=2E\r\n=2Ex")
        let long = String(repeating: "abcdefghij", count: 30) + " " + String(repeating: "ü", count: 60)
        let encoded = QuotedPrintable.encode(long)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            #expect(!line.hasPrefix("."))
        }
        // Soft breaks never split an =XX triple.
        #expect(!encoded.contains("=\r\n3") && !encoded.contains("=C\r\n"))
    }

    @Test func mailDatesFollowRFC5322() {
        #expect(MailDate.format(Date(timeIntervalSince1970: 1_704_809_100)) == "Tue, 09 Jan 2024 14:05:00 +0000")
        #expect(MailDate.format(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    /// Python's email package reads the message back: headers, both parts, non-ASCII names.
    @Test func aWholeMessageReadsBackThroughAnIndependentParser() throws {
        let id = MessageID()
        let email = OutgoingEmail(
            id: id, date: Date(timeIntervalSince1970: 1_704_809_100), from: Mailbox(name: "Polizei Köln", address: from.address),
            to: Mailbox(name: "Jürgen Müller-Lüdenscheidt", address: MailAddress("juergen@polizei.example")!),
            replyTo: MailAddress("training@polizei.example"), subject: "Ihre Schießausbildung läuft ab — bitte erneuern",
            text: "Hallo Jürgen,\n\n" + String(repeating: "Sehr lange Zeile mit Umlauten äöü. ", count: 40) + "\n.\nEnde\n",
            html: "<p>Hallo J&uuml;rgen, <a href=\"https://x.example/?a=1&amp;b=2\">Link</a></p>")
        let parsed = try MailOracle.parse(email.encoded())
        #expect(parsed.defects == [])
        #expect(parsed.subject == email.subject)
        #expect(parsed.fromName == "Polizei Köln")
        #expect(parsed.fromAddress == "no-reply@muster.example")
        #expect(parsed.toName == "Jürgen Müller-Lüdenscheidt")
        #expect(parsed.toAddress == "juergen@polizei.example")
        #expect(parsed.replyTo == "training@polizei.example")
        #expect(parsed.messageID == "<\(id)@muster.example>")
        #expect(parsed.dateParsed == "2024-01-09T14:05:00+00:00")
        #expect(parsed.contentType == "multipart/alternative")
        // Python keeps the message's CRLF line breaks in the decoded part.
        #expect(parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") == email.text)
        #expect(parsed.html == email.html)
        #expect(parsed.parts["text/plain"]?.charset == "utf-8")
        #expect(parsed.parts["text/html"]?.encoding == "quoted-printable")
        #expect(parsed.maxLineOctets <= 76)
        #expect(parsed.crlfOnly)
        for name in ["Date", "From", "To", "Reply-To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Auto-Submitted"] {
            #expect(parsed.headerNames.contains(name), "\(name)")
        }
    }
}
