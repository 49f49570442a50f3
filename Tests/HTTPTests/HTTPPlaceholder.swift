import Testing

@Suite struct HTTPPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
