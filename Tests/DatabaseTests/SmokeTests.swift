import Foundation
import MusterCore
import MusterDatabase
import Testing

@Suite(requiresDatabase) struct SmokeTests {
    @Test func selectsOne() async throws {
        try await TestDatabase.withPool { pool in
            let rows = try await pool.query("SELECT 1 AS one, \("x") AS x")
            #expect(try rows[0].decode("one", as: Int.self) == 1)
            #expect(try rows[0].decode("x", as: String.self) == "x")
            try await pool.withAgency(AgencyID()) { tx in
                let rows = try await tx.query("SHOW search_path")
                print(try rows[0].decode("search_path", as: String.self))
            }
            let rows2 = try await pool.query("SHOW search_path")
            print(try rows2[0].decode("search_path", as: String.self), pool.statistics)
        }
    }
}
