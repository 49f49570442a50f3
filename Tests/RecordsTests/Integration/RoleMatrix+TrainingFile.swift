import Foundation
import MusterAuth
import MusterCore
import MusterTestSupport

/// The routes of the training file in the role matrix: for policies, coordinators and
/// admins write, every member reads and acknowledges (their own person, with a fresh
/// authentication), staff, auditors and supervisors (their units) read who acknowledged
/// and who has not; a transcript goes to whoever may read the person's file.
extension RoleMatrix {
    /// A policy code no other call of the run has used.
    static var policyCode: String { "p_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// A new policy with one Markdown version, in the caller's agency or (`otherAgency`) in B.
    static func policy(_ world: RecordsWorld, _ target: MatrixTarget) throws -> String {
        let token = target == .otherAgency ? world.b.adminToken : world.setup
        let id = RecordsClient.id(try world.api.call("POST", "/policies", token: token, json: ["code": policyCode, "title": "A policy"]))
        let version = try world.api.raw("POST", "/policies/\(id)/versions", token: token, body: "# A policy\n", headers: ["Content-Type": "text/markdown"])
        guard version.status == 201 else { throw SetupError(description: "policy version: \(version.status) \(version.body)") }
        return id
    }

    /// Who lists a policy's acknowledgements or outstanding people: staff and auditors everyone, supervisors their units.
    static func followUp(_ role: Role, _ target: MatrixTarget) -> Int {
        guard role != .officer else { return 403 }
        return target == .otherAgency ? 404 : 200
    }

    static let trainingFileRoutes: [MatrixRoute] = [
        MatrixRoute(route: "POST /api/v1/policies", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/policies", token: w.token(r), json: ["code": policyCode, "title": "New policy"])
        },
        MatrixRoute(route: "GET /api/v1/policies", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/policies", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/policies/{id}", targets: agencies, expected: member) { w, r, t in
            try w.api.call("GET", "/policies/\(try policy(w, t))", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/policies/{id}/versions", targets: agencies, expected: staff(201)) { w, r, t in
            try w.api.raw("POST", "/policies/\(try policy(w, t))/versions", token: w.token(r), body: "# Revised\n",
                          headers: ["Content-Type": "text/markdown"])
        },
        MatrixRoute(route: "GET /api/v1/policies/{id}/versions/{version}/document", targets: agencies, expected: member) { w, r, t in
            try w.api.call("GET", "/policies/\(try policy(w, t))/versions/1/document", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/policies/{id}/versions/{version}/acknowledge", targets: agencies,
                    expected: { _, t in t == .otherAgency ? 404 : 201 }) { w, r, t in
            try w.api.call("POST", "/policies/\(try policy(w, t))/versions/1/acknowledge", token: try PolicyTests.reauthenticated(w, r))
        },
        MatrixRoute(route: "GET /api/v1/policies/{id}/acknowledgements", targets: agencies, expected: followUp) { w, r, t in
            try w.api.call("GET", "/policies/\(try policy(w, t))/acknowledgements?version=1", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/policies/{id}/outstanding", targets: agencies, expected: followUp) { w, r, t in
            try w.api.call("GET", "/policies/\(try policy(w, t))/outstanding", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/me/policies", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/me/policies", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/personnel/{id}/transcript", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/personnel/\(person(w, r, t))/transcript?format=json", token: w.token(r))
        },
    ]
}
