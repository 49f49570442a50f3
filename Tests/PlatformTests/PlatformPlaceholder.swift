import Testing

@Suite struct PlatformPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
