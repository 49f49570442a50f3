import Testing

@Suite struct HTTPClientPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
