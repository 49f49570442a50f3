import Foundation
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// Every Records route × every role × own person, someone else, another agency's id,
/// through the Gateway of one platform, with the exact status each must get.
@Suite struct RoleMatrixTests {
    @Test func everyRouteAnswersEveryRoleWithTheExactStatus() async throws {
        let world = try await RecordsWorld.start()
        defer { world.stop() }

        // The matrix covers every public route Records serves.
        let credential = try world.platform.serviceCredential(as: .gateway, for: .records)
        let listing = try Curl.request("GET", world.platform.url(.records) + "/internal/routes", headers: ["Authorization": "Bearer \(credential)"])
        let served = Set(try JSONCoding.decode(RegisteredRoutes.self, from: Array(listing.body.utf8)).routes
            .filter { $0.template.hasPrefix("/api/") }.map { "\($0.method) \($0.template)" })
        // Evidence, expenses, imports and exports have their own role table (EvidenceAccessTests).
        let matrix = RoleMatrix.routes + RoleMatrix.trainingFileRoutes
        let missing = served.subtracting(matrix.map(\.route)).subtracting(EvidenceAccessTests.routes)
        #expect(missing.isEmpty, "routes missing from the matrix: \(missing)")

        var checked = 0
        for route in matrix {
            for role in RecordsWorld.roles {
                for target in route.targets {
                    let response = try route.send(world, role, target)
                    let expected = route.expected(role, target)
                    #expect(response.status == expected,
                            "\(route.route) as \(role.rawValue), \(target.rawValue): \(response.status) \(response.body.prefix(300))")
                    if response.status >= 400 {
                        #expect(response.errorCode != nil, "\(route.route): an error body {\"error\":{\"code\",…}}")
                    }
                    if expected == 403, target == .own, route.targets.contains(.other), RoleMatrix.writers.contains(role) {
                        #expect(response.errorCode == "separation_of_duties", "\(route.route) as \(role.rawValue) on their own file")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 250)
    }
}
