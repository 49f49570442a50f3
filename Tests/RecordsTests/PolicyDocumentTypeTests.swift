@testable import RecordsService
import Testing

@Suite struct PolicyDocumentTypeTests {
    @Test func aDocumentIsAPDFOrUTF8MarkdownAsDeclared() {
        let pdf = Array("%PDF-1.7\n%\u{e2}\u{e3}".utf8), markdown = Array("# Use of force\n\nÉmile's rule: **stop**.\n".utf8)
        #expect(PolicyDocumentType(contentType: "application/pdf")?.matches(pdf) == true)
        #expect(PolicyDocumentType(contentType: "Text/Markdown; charset=UTF-8")?.matches(markdown) == true)
        #expect(PolicyDocumentType(contentType: "application/pdf")?.matches(markdown) == false, "Markdown declared as a PDF")
        #expect(PolicyDocumentType(contentType: "text/markdown")?.matches([0x23, 0x20, 0xC3, 0x28]) == false, "not UTF-8")
        #expect(PolicyDocumentType(contentType: "text/markdown")?.matches(Array("a\u{0}b".utf8)) == false, "a NUL byte is binary")
        #expect(PolicyDocumentType(contentType: "text/markdown")?.matches(pdf) == true, "a PDF's header is text; what was declared is served")
        #expect(PolicyDocumentType(contentType: "text/plain") == nil && PolicyDocumentType(contentType: "text/html") == nil)
        #expect(PolicyDocumentType(contentType: "") == nil && PolicyDocumentType(contentType: "image/png") == nil)
        #expect(PolicyDocumentType.markdown.servedContentType == "text/markdown; charset=utf-8")
        #expect(MediaType.essence(of: " Application/PDF ; x=y") == "application/pdf")
    }
}
