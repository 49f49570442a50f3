import Foundation
import MusterCore

/// The HTML part of every email, built from the text body: paragraphs at blank
/// lines, a link standing on a line of its own as a button (with the address
/// below it for clients that drop styles), every value HTML-escaped, inside one
/// simple layout with inline styles (mail clients ignore style sheets).
enum HTMLLayout {
    /// Everything placeholders resolve to, with what the HTML needs to know about each.
    struct Value {
        var text: String
        var linkLabel: String?
    }

    static func document(subject: String, agencyName: String, body: TemplateText, values: [String: Value]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\(HTMLText.escape(subject))</title></head>
        <body style="margin:0;padding:24px;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#1f2937;line-height:1.5">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:6px;padding:24px 28px">
        <p style="margin:0 0 20px;font-size:13px;font-weight:bold;color:#4b5563">\(HTMLText.escape(agencyName))</p>
        \(content(body, values: values))
        </div>
        <p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#6b7280">Sent by Muster for \(HTMLText.escape(agencyName)).</p>
        </body>
        </html>
        """
    }

    /// The body's blocks: paragraphs and buttons.
    static func content(_ body: TemplateText, values: [String: Value]) -> String {
        var blocks: [String] = []
        var paragraph: [String] = []
        func closeParagraph() {
            if !paragraph.isEmpty { blocks.append("<p style=\"margin:0 0 16px\">" + paragraph.joined(separator: "<br>\n") + "</p>") }
            paragraph = []
        }
        for line in lines(of: body) {
            if line.allSatisfy(isBlank) {
                closeParagraph()
            } else if let button = button(line, values: values) {
                closeParagraph()
                blocks.append(button)
            } else {
                paragraph.append(line.map { inline($0, values: values) }.joined())
            }
        }
        closeParagraph()
        return blocks.joined(separator: "\n")
    }

    private static func inline(_ segment: TemplateText.Segment, values: [String: Value]) -> String {
        switch segment {
        case .literal(let text):
            return HTMLText.escape(text)
        case .placeholder(let name):
            let value = values[name] ?? Value(text: "")
            guard value.linkLabel != nil else { return HTMLText.escape(value.text) }
            return "<a href=\"\(HTMLText.escape(value.text))\" style=\"color:#1d4ed8\">\(HTMLText.escape(value.text))</a>"
        }
    }

    /// A line holding one link placeholder and nothing but blanks.
    private static func button(_ line: [TemplateText.Segment], values: [String: Value]) -> String? {
        let meaningful = line.filter { !isBlank($0) }
        guard meaningful.count == 1, case .placeholder(let name) = meaningful[0], let value = values[name],
              let label = value.linkLabel else { return nil }
        let url = HTMLText.escape(value.text)
        return """
            <p style="margin:24px 0"><a href="\(url)" style="display:inline-block;padding:10px 18px;background:#1d4ed8;\
            color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">\(HTMLText.escape(label))</a></p>
            <p style="margin:0 0 16px;font-size:12px;color:#6b7280">If the button does not work, open this address: \
            <a href="\(url)" style="color:#1d4ed8;word-break:break-all">\(url)</a></p>
            """
    }

    private static func isBlank(_ segment: TemplateText.Segment) -> Bool {
        if case .literal(let text) = segment { return text.allSatisfy(\.isWhitespace) }
        return false
    }

    /// The segments split at line breaks (a literal may span several lines).
    private static func lines(of text: TemplateText) -> [[TemplateText.Segment]] {
        var lines: [[TemplateText.Segment]] = [[]]
        for segment in text.segments {
            guard case .literal(let literal) = segment else {
                lines[lines.count - 1].append(segment)
                continue
            }
            for (index, piece) in literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if index > 0 { lines.append([]) }
                let text = piece.hasSuffix("\r") ? piece.dropLast() : piece
                if !text.isEmpty { lines[lines.count - 1].append(.literal(String(text))) }
            }
        }
        return lines
    }
}
