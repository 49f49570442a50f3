import Testing

@Suite struct DatabasePlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
