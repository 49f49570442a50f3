/// The file types evidence may be, each recognized by its first bytes: a declared
/// `Content-Type` that the bytes contradict is refused (`415`), so a file is never
/// served back under a type it is not.
///
/// ```swift
/// AttachmentType(contentType: "application/pdf")?.matches(body)   // true for "%PDF-1.7…"
/// AttachmentType.sniff(body)                                      // .pdf
/// ```
enum AttachmentType: String, CaseIterable, Sendable {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"

    /// The media type of a `Content-Type` field (parameters and case ignored).
    init?(contentType: String) {
        guard let type = AttachmentType(rawValue: MediaType.essence(of: contentType)) else { return nil }
        self = type
    }

    /// PDF `%PDF-`; JPEG `FF D8 FF`; PNG its 8-byte signature.
    var signature: [UInt8] {
        switch self {
        case .pdf: Array("%PDF-".utf8)
        case .jpeg: [0xFF, 0xD8, 0xFF]
        case .png: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        }
    }

    func matches(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    static func sniff(_ bytes: [UInt8]) -> AttachmentType? { allCases.first { $0.matches(bytes) } }

    /// The name a file gets when the upload names none.
    var defaultFileName: String {
        switch self {
        case .pdf: "attachment.pdf"
        case .jpeg: "attachment.jpg"
        case .png: "attachment.png"
        }
    }
}
