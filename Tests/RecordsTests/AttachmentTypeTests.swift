@testable import RecordsService
import Testing

@Suite struct AttachmentTypeTests {
    static let pdf = Array("%PDF-1.7\n%\u{e2}\u{e3}".utf8), jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46]
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    @Test func eachTypeIsKnownByItsFirstBytes() {
        #expect(AttachmentType.sniff(Self.pdf) == .pdf && AttachmentType.sniff(Self.jpeg) == .jpeg && AttachmentType.sniff(Self.png) == .png)
        #expect(AttachmentType.sniff(Array("GIF89a".utf8)) == nil && AttachmentType.sniff([]) == nil)
        #expect(AttachmentType.sniff(Array(Self.png.prefix(7))) == nil)
        #expect(AttachmentType(contentType: "application/pdf")?.matches(Self.pdf) == true)
        #expect(AttachmentType(contentType: "Image/PNG; name=x")?.matches(Self.png) == true)
        #expect(AttachmentType(contentType: "image/png")?.matches(Self.jpeg) == false)
        #expect(AttachmentType(contentType: "image/gif") == nil && AttachmentType(contentType: "text/html") == nil)
    }

    @Test(arguments: [
        ("attachment; filename=\"range card.pdf\"", "range card.pdf"),
        ("attachment; filename=plain.png", "plain.png"),
        ("inline; filename*=UTF-8''Z%C3%BCrich.pdf; filename=\"fallback.pdf\"", "Zürich.pdf"),
        ("attachment; filename=\"../../etc/passwd\"", "passwd"),
        ("attachment; filename=\"C:\\\\temp\\\\scan.jpg\"", "scan.jpg"),
        ("attachment; filename=\"semi;colon \\\"q\\\".pdf\"", "semi;colon \"q\".pdf"),
    ])
    func fileNamesAreTheLastPathComponent(_ field: String, _ name: String) {
        #expect(AttachmentFileName.from(contentDisposition: field) == name)
    }

    @Test func uselessFileNamesAreNone() {
        #expect(AttachmentFileName.from(contentDisposition: nil) == nil)
        #expect(AttachmentFileName.from(contentDisposition: "attachment") == nil)
        #expect(AttachmentFileName.from(contentDisposition: "attachment; filename=\"..\"") == nil)
        #expect(AttachmentFileName.from(contentDisposition: "attachment; filename=\"\u{7}\"") == nil)
        #expect(AttachmentFileName.from(contentDisposition: "attachment; filename=\"" + String(repeating: "a", count: 400) + ".pdf\"")?.utf8.count == 255)
    }
}
