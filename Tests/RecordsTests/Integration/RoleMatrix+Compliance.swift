import Foundation
import MusterAuth
import MusterCore
import MusterTestSupport

extension RecordsWorld {
    /// A fresh recurring requirement (yearly qualification on the agency's course) made by that agency's first admin.
    func requirement(in agency: MatrixTarget = .own) throws -> String {
        let (token, course) = agency == .otherAgency ? (b.adminToken, "b_course") : (setup, "qual")
        let response = try api.call("POST", "/requirements", token: token, json: [
            "code": "req_\(RoleMatrix.uniqueCode)", "name": "Yearly qualification", "kind": "recurring",
            "params": ["every_months": 12, "course_codes": [course]], "effective_from": "2020-01-01",
        ])
        guard response.status == 201 else { throw SetupError(description: "requirement: \(response.status) \(response.body)") }
        return RecordsClient.id(response)
    }

    /// A waiver of a fresh requirement for `person`, granted by the agency's first admin.
    func waiver(for person: String, in agency: MatrixTarget = .own) throws -> String {
        let requirement = try requirement(in: agency)
        let response = try api.call("POST", "/personnel/\(person)/waivers", token: agency == .otherAgency ? b.adminToken : setup,
                                    json: ["requirement_id": requirement, "until": "2030-12-31", "reason": "Medical leave"])
        guard response.status == 201 else { throw SetupError(description: "waiver: \(response.status) \(response.body)") }
        return RecordsClient.id(response)
    }
}

extension RoleMatrix {
    /// A requirement code no other call makes (digits allowed, unlike ``unique``).
    static var uniqueCode: String { String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)) }

    /// Readers of lists of people's compliance: supervisors (their units) and everyone who reads every file.
    static func listReader(_ role: Role, _ target: MatrixTarget) -> Int { role == .officer ? 403 : 200 }

    /// Issue 20's compliance routes: requirements and packs (everyone reads, staff write), waivers (as a
    /// person's file: staff write, never their own), statuses (as reading the file; lists for supervisors and up).
    static let complianceRoutes: [MatrixRoute] = [
        MatrixRoute(route: "GET /api/v1/requirements", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/requirements", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/requirements", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/requirements", token: w.token(r), json: [
                "code": "m_\(uniqueCode)", "name": "Annual hours", "kind": "hours",
                "params": ["period": ["kind": "calendar_year"], "total_hours": 20], "effective_from": "2020-01-01",
            ])
        },
        MatrixRoute(route: "GET /api/v1/requirements/{id}", targets: agencies, expected: member) { w, r, t in
            try w.api.call("GET", "/requirements/\(try w.requirement(in: t))", token: w.token(r))
        },
        MatrixRoute(route: "PUT /api/v1/requirements/{id}", targets: agencies, expected: staff(200)) { w, r, t in
            try w.api.call("PUT", "/requirements/\(try w.requirement(in: t))", token: w.token(r), json: [
                "name": "Yearly qualification", "params": ["every_months": 6, "course_codes": ["qual"]], "effective_from": "2024-01-01",
            ])
        },
        MatrixRoute(route: "DELETE /api/v1/requirements/{id}", targets: agencies, expected: staff(200)) { w, r, t in
            try w.api.call("DELETE", "/requirements/\(try w.requirement(in: t))?effective_to=2025-12-31", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/requirement-packs", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/requirement-packs", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/requirement-packs/{code}/apply", targets: agencyOnly, expected: staff(200)) { w, r, _ in
            try w.api.call("POST", "/requirement-packs/washington/apply", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/personnel/{id}/waivers", targets: person, expected: change(201)) { w, r, t in
            let requirement = try w.requirement()
            return try w.api.call("POST", "/personnel/\(person(w, r, t))/waivers", token: w.token(r),
                                  json: ["requirement_id": requirement, "until": "2030-01-01", "reason": "Deployed"])
        },
        MatrixRoute(route: "GET /api/v1/personnel/{id}/waivers", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/personnel/\(person(w, r, t))/waivers", token: w.token(r))
        },
        MatrixRoute(route: "DELETE /api/v1/personnel/{id}/waivers/{waiver_id}", targets: person, expected: change(200)) { w, r, t in
            let subject = person(w, r, t)
            let waiver = try w.waiver(for: subject, in: t)
            return try w.api.call("DELETE", "/personnel/\(subject)/waivers/\(waiver)", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/personnel/{id}/compliance", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/personnel/\(person(w, r, t))/compliance", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/me/compliance", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/me/compliance", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/compliance/summary", targets: agencyOnly, expected: listReader) { w, r, _ in
            try w.api.call("GET", "/compliance/summary", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/compliance/personnel", targets: agencyOnly, expected: listReader) { w, r, _ in
            try w.api.call("GET", "/compliance/personnel?status=overdue", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/compliance.csv", targets: agencyOnly, expected: listReader) { w, r, _ in
            try w.api.call("GET", "/compliance.csv", token: w.token(r))
        },
    ]
}
