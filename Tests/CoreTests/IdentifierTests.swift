import Testing
import Foundation
import MusterCore

@Suite struct IdentifierTests {
    @Test func parsesAndPrintsLowercase() throws {
        let id = try #require(AgencyID(string: "9F0C2B1E-3A4D-4E5F-8A6B-7C8D9E0F1A2B"))
        #expect(id.description == "9f0c2b1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b")
        #expect(id.hex == "9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2b")
        #expect(AgencyID(string: "not-a-uuid") == nil)
    }
}

@Suite struct IdentifierFormattingTests {
    /// Foundation's `uuidString` is the oracle for the hand-written formatting and order.
    @Test func matchesFoundationForRandomIDs() {
        let ids = (0..<2_000).map { _ in UserID() }
        for id in ids {
            #expect(id.description == id.uuid.uuidString.lowercased())
            #expect(id.hex == id.uuid.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))
        }
        #expect(ids.sorted().map(\.description) == ids.map(\.description).sorted())
    }
}
