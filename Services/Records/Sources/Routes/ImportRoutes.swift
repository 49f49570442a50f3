import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterTime
import MusterService

/// `POST /imports/personnel` and `POST /imports/training-records` (`text/csv`,
/// coordinators and admins): the whole file is checked first — one bad row refuses
/// it with `422 invalid_rows` naming every bad row (up to 1,000) and nothing is
/// written; otherwise every row is written in one transaction → `201 {"imported":N}`.
/// An `Idempotency-Key` makes a retried upload safe.
struct ImportRoutes {
    /// 200,000 training rows fit; the Gateway allows as much on these paths.
    static let bodyLimit = 64 << 20

    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.post("/imports/training-records", bodyLimit: Self.bodyLimit) { request in
            try await run(request, kind: "training_records") { body, catalog, today, user, tx in
                let rows = try TrainingImport.validate(body, catalog: catalog, today: today).get()
                let id = try await ImportStore.begin("training_records", rows: rows.count, file: body, by: user, in: tx)
                try await ImportStore.write(rows, import: id, by: user, in: tx)
                return (id, rows.count)
            }
        }
        api.post("/imports/personnel", bodyLimit: Self.bodyLimit) { request in
            try await run(request, kind: "personnel") { body, catalog, today, user, tx in
                let rows = try PersonnelImport.validate(body, catalog: catalog, today: today).get()
                let id = try await ImportStore.begin("personnel", rows: rows.count, file: body, by: user, in: tx)
                try await ImportStore.write(rows, by: user, in: tx)
                return (id, rows.count)
            }
        }
    }

    private struct Imported: Encodable {
        let id: UUID
        let imported: Int
    }

    private func run(_ request: HTTPRequest, kind: String,
                     _ write: (_ body: [UInt8], ImportCatalog, CalendarDate, UserID, Transaction) async throws -> (UUID, Int))
        async throws -> HTTPResponse {
        let mediaType = request.headers["Content-Type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "text/csv" else {
            throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "Send the file as text/csv.")
        }
        do {
            return try await services.withCaller(request) { caller, tx in
                try RecordsAccess.requireWriter(caller)
                return try await Idempotency.once(request, actor: caller.user.uuid, in: tx) {
                    // Serializes imports of one agency: two files checked against the same roster cannot both add a badge.
                    try await tx.execute("LOCK TABLE imports IN SHARE ROW EXCLUSIVE MODE")
                    let catalog = try await ImportStore.catalog(in: tx)
                    let today = try await RecordsSettings.timeZone(in: tx).today()
                    let (id, count) = try await write(request.body, catalog, today, caller.user, tx)
                    try await RecordsAudit(request, caller: caller).record(
                        "\(kind).imported", target: .records("import", id), before: nil,
                        after: ["kind": .string(kind), "rows": .number(Double(count)),
                                "sha256": .string(Hex.encode(SHA256.hash(request.body)))], in: tx)
                    return try .json(Imported(id: id, imported: count), status: .created)
                }
            }
        } catch let problems as ImportProblems {
            return try Self.refusal(problems, requestID: request.id)
        }
    }

    /// `422 {"error":{"code":"invalid_rows","message","request_id","rows":[{"row","field","message"}],"row_count"}}`.
    static func refusal(_ problems: ImportProblems, requestID: String) throws -> HTTPResponse {
        struct Body: Encodable {
            struct Inner: Encodable {
                let code = "invalid_rows"
                let message: String
                let requestID: String
                let rows: [ImportRowError]
                /// Every problem found, when more than the rows listed.
                let problemCount: Int
            }
            let error: Inner
        }
        let listed = problems.listed.count < problems.count ? " (the first \(problems.listed.count) listed)" : ""
        return try .json(Body(error: .init(message: "\(problems.count) problems\(listed); nothing was imported.", requestID: requestID,
                                           rows: problems.listed, problemCount: problems.count)),
                         status: .unprocessableEntity)
    }
}
