import Testing

@Suite struct CryptoPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
