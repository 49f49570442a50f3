/// What a policy document may be: a PDF (its bytes must start as one) or Markdown
/// (UTF-8 text without NUL bytes), at most 10 MiB. A declared `Content-Type` the
/// bytes contradict is refused (`415`), so a document is never served as what it is not.
///
/// ```swift
/// PolicyDocumentType(contentType: "text/markdown; charset=utf-8")?.matches(Array("# Use of force".utf8))   // true
/// PolicyDocumentType(contentType: "application/pdf")?.matches(Array("# not a PDF".utf8))                  // false
/// ```
enum PolicyDocumentType: String, CaseIterable, Sendable {
    case pdf = "application/pdf"
    case markdown = "text/markdown"

    static let maximumSize = 10 << 20

    init?(contentType: String) {
        guard let type = PolicyDocumentType(rawValue: MediaType.essence(of: contentType)) else { return nil }
        self = type
    }

    func matches(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .pdf: AttachmentType.pdf.matches(bytes)
        case .markdown: !bytes.contains(0) && String(validating: bytes, as: UTF8.self) != nil
        }
    }

    /// What the download is served as (Markdown with its charset, so browsers read it as UTF-8).
    var servedContentType: String {
        switch self {
        case .pdf: rawValue
        case .markdown: "text/markdown; charset=utf-8"
        }
    }
}
