import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// `POST /api/v1/users/import` (text/csv, `email,name,roles`): all rows are invited
/// in one transaction or none; a failure answers `422` with a per-row report.
struct UserImportRoutes {
    static let bodyLimit = 1 << 20

    let services: IdentityRuntime

    struct Imported: Encodable {
        let imported: Int
        let items: [UserView]
    }

    struct Report: Encodable {
        struct Body: Encodable {
            let code = "import_failed"
            let message: String
            let requestId: String
            let rows: [UserCSV.RowError]
        }
        let error: Body
    }

    func register(on api: RouteGroup) {
        api.post("/users/import", bodyLimit: Self.bodyLimit) { request in
            let admin = try services.requireAdmin(request)
            guard let text = String(validating: request.body, as: UTF8.self) else {
                throw HTTPError.badRequest("The CSV is not valid UTF-8.", code: "invalid_csv")
            }
            let rows: [UserCSV.Row]
            do throws(UserCSV.Failure) { rows = try UserCSV.parse(text) } catch {
                return try report(request, error.errors)
            }
            let agency = try services.agency(of: request)
            let audit = AuditTrail(request: request, agency: agency)
            do {
                return try await services.db.withAgency(agency.id) { tx in
                    try await Idempotency.once(request, actor: admin.userID.uuid, in: tx) {
                        let taken = try await tx.query("SELECT email FROM users WHERE email = ANY(\(rows.map(\.email.rawValue)))")
                            .map { try $0.decode("email", as: String.self) }
                        guard taken.isEmpty else {
                            let lines = Dictionary(rows.map { ($0.email.rawValue, $0.line) }, uniquingKeysWith: { first, _ in first })
                            throw Rejected(errors: taken.map { .init(row: lines[$0] ?? 0, field: "email", message: "A user with this email exists.") }
                                .sorted { $0.row < $1.row })
                        }
                        var users: [UserView] = []
                        for row in rows {
                            let user = try await UserInvitations.invite(email: row.email, name: row.name, roles: row.roles, agency: agency,
                                                                        by: admin, services: services, audit: audit, in: tx)
                            users.append(UserView(user))
                        }
                        try await audit.record("user.imported", actor: .principal(admin), reason: "\(users.count) users invited", in: tx)
                        return try .json(Imported(imported: users.count, items: users), status: .created)
                    }
                }
            } catch let rejected as Rejected {
                return try report(request, rejected.errors)
            }
        }
    }

    /// Rows that clash with existing users: the transaction rolls back, then the report is sent.
    private struct Rejected: Error {
        let errors: [UserCSV.RowError]
    }

    private func report(_ request: HTTPRequest, _ errors: [UserCSV.RowError]) throws -> HTTPResponse {
        try .json(Report(error: .init(message: "\(errors.count) problems; nothing was imported.", requestId: request.id, rows: errors)),
                  status: .unprocessableEntity)
    }
}
