import Testing
import MusterCore

@Suite struct IdentifierTests {
    @Test func parsesAndPrintsLowercase() throws {
        let id = try #require(AgencyID(string: "9F0C2B1E-3A4D-4E5F-8A6B-7C8D9E0F1A2B"))
        #expect(id.description == "9f0c2b1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b")
        #expect(id.hex == "9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2b")
        #expect(AgencyID(string: "not-a-uuid") == nil)
    }
}
