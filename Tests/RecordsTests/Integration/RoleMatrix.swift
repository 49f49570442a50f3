import Foundation
import MusterAuth
import MusterCore
import MusterTestSupport

/// Whose data a request of the role matrix names.
enum MatrixTarget: String, CaseIterable, Sendable {
    /// The person linked to the caller's own login (or the caller's own agency, for routes about no person).
    case own
    /// Someone else of the caller's agency whom no supervisor supervises.
    case other
    /// An id of another agency.
    case otherAgency = "other agency"
}

/// One Records route of the matrix: which targets it takes, the status each role
/// must get for each, and how to send it (write routes make a fresh object per call,
/// so that one role's success does not change what the next role sees).
struct MatrixRoute: Sendable {
    let route: String
    let targets: [MatrixTarget]
    let expected: @Sendable (Role, MatrixTarget) -> Int
    let send: @Sendable (RecordsWorld, Role, MatrixTarget) throws -> CurlResponse
}

/// Issue 19's table, route by route.
enum RoleMatrix {
    static let writers: Set<Role> = [.coordinator, .agencyAdmin]
    static let readAll: Set<Role> = [.coordinator, .agencyAdmin, .auditor]
    static let person: [MatrixTarget] = [.own, .other, .otherAgency]
    static let agencyOnly: [MatrixTarget] = [.own]
    static let agencies: [MatrixTarget] = [.own, .otherAgency]

    /// Reading a person's file: their own for everyone, anyone's for staff and auditors; another agency's is never found.
    static func read(_ role: Role, _ target: MatrixTarget) -> Int {
        switch target {
        case .own: 200
        case .other: readAll.contains(role) ? 200 : 403
        case .otherAgency: 404
        }
    }

    /// Changing a person's training or certifications: staff only, never for themselves.
    static func change(_ success: Int, otherAgency: Int = 404) -> @Sendable (Role, MatrixTarget) -> Int {
        { role, target in
            guard writers.contains(role) else { return 403 }
            switch target {
            case .own: return 403
            case .other: return success
            case .otherAgency: return otherAgency
            }
        }
    }

    /// A staff-only change where no person's own file is at stake.
    static func staff(_ success: Int) -> @Sendable (Role, MatrixTarget) -> Int {
        { role, target in writers.contains(role) ? (target == .otherAgency ? 404 : success) : 403 }
    }

    /// Anyone of the agency; another agency's id is not found.
    static func member(_ role: Role, _ target: MatrixTarget) -> Int { target == .otherAgency ? 404 : 200 }

    static func person(_ world: RecordsWorld, _ role: Role, _ target: MatrixTarget) -> String {
        switch target {
        case .own: world.own[role]!
        case .other: world.other
        case .otherAgency: world.bPerson
        }
    }

    static func record(_ world: RecordsWorld, _ role: Role, _ target: MatrixTarget) throws -> String {
        target == .otherAgency ? world.bRecord : try world.record(for: person(world, role, target))
    }

    static func certification(_ world: RecordsWorld, _ role: Role, _ target: MatrixTarget) throws -> String {
        target == .otherAgency ? world.bCertification : try world.certification(for: person(world, role, target))
    }

    /// A pending submission of the target: another role's own when the target is someone else.
    static func submission(_ world: RecordsWorld, _ role: Role, _ target: MatrixTarget) throws -> String {
        switch target {
        case .own: try world.record(for: world.own[role]!)
        case .other: try world.submission(by: role == .officer ? .supervisor : .officer)
        case .otherAgency: world.bRecord
        }
    }

    static func unit(_ world: RecordsWorld, _ target: MatrixTarget, fresh: Bool) throws -> String {
        if target == .otherAgency { return world.bUnit }
        guard fresh else { return world.recordsUnit }
        return RecordsClient.id(try world.api.call("POST", "/units", token: world.setup, json: ["name": "Unit \(UUID().uuidString.prefix(6))"]))
    }

    static func event(_ world: RecordsWorld, _ target: MatrixTarget) throws -> String {
        target == .otherAgency ? world.bEvent : try world.event()
    }

    static var unique: String { String(UUID().uuidString.lowercased().prefix(8).filter(\.isLetter)) + "x" }

    static let routes: [MatrixRoute] = recordsRoutes + complianceRoutes

    static let recordsRoutes: [MatrixRoute] = [
        // Roster.
        MatrixRoute(route: "GET /api/v1/units", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/units", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/units", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/units", token: w.token(r), json: ["name": "New unit"])
        },
        MatrixRoute(route: "GET /api/v1/units/{id}", targets: agencies, expected: member) { w, r, t in
            try w.api.call("GET", "/units/\(try unit(w, t, fresh: false))", token: w.token(r))
        },
        MatrixRoute(route: "PATCH /api/v1/units/{id}", targets: agencies, expected: staff(200)) { w, r, t in
            try w.api.call("PATCH", "/units/\(try unit(w, t, fresh: true))", token: w.token(r), json: ["name": "Renamed"])
        },
        MatrixRoute(route: "DELETE /api/v1/units/{id}", targets: agencies, expected: staff(204)) { w, r, t in
            try w.api.call("DELETE", "/units/\(try unit(w, t, fresh: true))", token: w.token(r))
        },
        MatrixRoute(route: "PUT /api/v1/units/{id}/supervisors/{user_id}", targets: agencies, expected: staff(204)) { w, r, t in
            try w.api.call("PUT", "/units/\(try unit(w, t, fresh: true))/supervisors/\(w.users[.supervisor]!.id)", token: w.token(r))
        },
        MatrixRoute(route: "DELETE /api/v1/units/{id}/supervisors/{user_id}", targets: agencies, expected: staff(204)) { w, r, t in
            let id = try unit(w, t, fresh: true)
            if t != .otherAgency { _ = try w.api.call("PUT", "/units/\(id)/supervisors/\(w.users[.supervisor]!.id)", token: w.setup) }
            return try w.api.call("DELETE", "/units/\(id)/supervisors/\(w.users[.supervisor]!.id)", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/personnel", targets: agencyOnly, expected: { role, _ in role == .officer ? 403 : 200 }) { w, r, _ in
            try w.api.call("GET", "/personnel", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/personnel", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/personnel", token: w.token(r), json: ["badge_number": "N-\(unique)", "first_name": "New",
                                                                            "last_name": "Hire", "hire_date": "2024-01-02"])
        },
        MatrixRoute(route: "GET /api/v1/personnel/{id}", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/personnel/\(person(w, r, t))", token: w.token(r))
        },
        MatrixRoute(route: "PATCH /api/v1/personnel/{id}", targets: person, expected: staff(200)) { w, r, t in
            try w.api.call("PATCH", "/personnel/\(person(w, r, t))", token: w.token(r), json: ["rank": "Sergeant"])
        },
        MatrixRoute(route: "GET /api/v1/me/person", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/me/person", token: w.token(r))
        },
        // Catalog.
        MatrixRoute(route: "GET /api/v1/categories", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/categories", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/categories", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/categories", token: w.token(r), json: ["code": "c_\(unique)", "name": "Category"])
        },
        MatrixRoute(route: "GET /api/v1/certification-types", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/certification-types", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/certification-types", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/certification-types", token: w.token(r), json: ["code": "t_\(unique)", "name": "Type", "validity_months": 12])
        },
        MatrixRoute(route: "GET /api/v1/courses", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/courses", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/courses", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/courses", token: w.token(r), json: ["code": "k_\(unique)", "title": "Course", "hours": 1.5])
        },
        MatrixRoute(route: "GET /api/v1/courses/{id}", targets: agencies, expected: member) { w, r, t in
            try w.api.call("GET", "/courses/\(t == .otherAgency ? w.bCourse : w.course)", token: w.token(r))
        },
        MatrixRoute(route: "PATCH /api/v1/courses/{id}", targets: agencies, expected: staff(200)) { w, r, t in
            try w.api.call("PATCH", "/courses/\(t == .otherAgency ? w.bCourse : w.course)", token: w.token(r), json: ["provider": "Academy"])
        },
        // Training records.
        MatrixRoute(route: "POST /api/v1/training-records", targets: person, expected: change(201, otherAgency: 422)) { w, r, t in
            try w.api.call("POST", "/training-records", token: w.token(r),
                           json: ["person_id": person(w, r, t), "title": "Matrix", "completed_on": "2024-01-10", "hours": 1])
        },
        MatrixRoute(route: "GET /api/v1/training-records/{id}", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/training-records/\(try record(w, r, t))", token: w.token(r))
        },
        MatrixRoute(route: "PATCH /api/v1/training-records/{id}", targets: person, expected: change(200)) { w, r, t in
            try w.api.call("PATCH", "/training-records/\(try record(w, r, t))", token: w.token(r), json: ["notes": "Corrected"],
                           headers: ["If-Match": "\"1\""])
        },
        MatrixRoute(route: "DELETE /api/v1/training-records/{id}", targets: person, expected: change(200)) { w, r, t in
            try w.api.call("DELETE", "/training-records/\(try record(w, r, t))", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/training-records/{id}/history", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/training-records/\(try record(w, r, t))/history", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/training-records/{id}/approve", targets: person, expected: change(200)) { w, r, t in
            try w.api.call("POST", "/training-records/\(try submission(w, r, t))/approve", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/training-records/{id}/reject", targets: person, expected: change(200)) { w, r, t in
            try w.api.call("POST", "/training-records/\(try submission(w, r, t))/reject", token: w.token(r), json: ["reason": "No certificate"])
        },
        MatrixRoute(route: "GET /api/v1/personnel/{id}/training-records", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/personnel/\(person(w, r, t))/training-records", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/me/training-records", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/me/training-records", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/me/training-records", targets: agencyOnly,
                    expected: { role, _ in role == .auditor ? 403 : 201 }) { w, r, _ in
            try w.api.call("POST", "/me/training-records", token: w.token(r), json: ["title": "Outside", "completed_on": "2024-01-05", "hours": 8])
        },
        // Certifications.
        MatrixRoute(route: "POST /api/v1/certifications", targets: person, expected: change(201, otherAgency: 422)) { w, r, t in
            try w.api.call("POST", "/certifications", token: w.token(r),
                           json: ["person_id": person(w, r, t), "type_id": w.certificationType, "issued_on": "2024-02-01"])
        },
        MatrixRoute(route: "GET /api/v1/certifications/{id}", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/certifications/\(try certification(w, r, t))", token: w.token(r))
        },
        MatrixRoute(route: "PATCH /api/v1/certifications/{id}", targets: person, expected: change(200)) { w, r, t in
            try w.api.call("PATCH", "/certifications/\(try certification(w, r, t))", token: w.token(r), json: ["number": "N-7"],
                           headers: ["If-Match": "\"1\""])
        },
        MatrixRoute(route: "DELETE /api/v1/certifications/{id}", targets: person, expected: change(200)) { w, r, t in
            try w.api.call("DELETE", "/certifications/\(try certification(w, r, t))", token: w.token(r))
        },
        MatrixRoute(route: "GET /api/v1/personnel/{id}/certifications", targets: person, expected: read) { w, r, t in
            try w.api.call("GET", "/personnel/\(person(w, r, t))/certifications", token: w.token(r))
        },
        // Training events: staff and supervisors read them, staff run them.
        MatrixRoute(route: "GET /api/v1/training-events", targets: agencyOnly, expected: { role, _ in role == .officer ? 403 : 200 }) { w, r, _ in
            try w.api.call("GET", "/training-events", token: w.token(r))
        },
        MatrixRoute(route: "POST /api/v1/training-events", targets: agencyOnly, expected: staff(201)) { w, r, _ in
            try w.api.call("POST", "/training-events", token: w.token(r), json: ["course_id": w.course, "starts_on": "2024-05-01"])
        },
        MatrixRoute(route: "GET /api/v1/training-events/{id}", targets: agencies,
                    expected: { role, target in role == .officer ? 403 : target == .otherAgency ? 404 : 200 }) { w, r, t in
            try w.api.call("GET", "/training-events/\(try event(w, t))", token: w.token(r))
        },
        MatrixRoute(route: "PUT /api/v1/training-events/{id}/roster", targets: agencies, expected: staff(200)) { w, r, t in
            try w.api.call("PUT", "/training-events/\(try event(w, t))/roster", token: w.token(r), json: ["person_ids": [w.other]])
        },
        MatrixRoute(route: "POST /api/v1/training-events/{id}/complete", targets: agencies, expected: staff(200)) { w, r, t in
            try w.api.call("POST", "/training-events/\(try event(w, t))/complete", token: w.token(r), json: ["attendance": [Any]()])
        },
        // Settings: everyone reads the agency's time zone, agency admins change it.
        MatrixRoute(route: "GET /api/v1/records/settings", targets: agencyOnly, expected: member) { w, r, _ in
            try w.api.call("GET", "/records/settings", token: w.token(r))
        },
        MatrixRoute(route: "PATCH /api/v1/records/settings", targets: agencyOnly,
                    expected: { role, _ in role == .agencyAdmin ? 200 : 403 }) { w, r, _ in
            try w.api.call("PATCH", "/records/settings", token: w.token(r), json: ["time_zone": "America/Chicago"])
        },
    ]
}
