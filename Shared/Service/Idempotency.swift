import Foundation
import MusterDatabase
import MusterHTTP

/// `Idempotency-Key` on creating requests: the first answer is stored in the same
/// transaction as the creation and returned again for a repeat of the key by the
/// same caller on the same route. A concurrent repeat waits on the key's row. Each
/// agency schema of a service that uses it holds an `idempotency_keys` table, whose
/// DDL the service's migration takes in with `\include idempotency_keys.sql`.
///
/// ```swift
/// try await pool.withAgency(agency) { tx in
///     try await Idempotency.once(request, actor: user.userID.uuid, in: tx) { try .json(created, status: .created) }
/// }
/// ```
public enum Idempotency {
    public static let header = "Idempotency-Key"

    public static func once(_ request: HTTPRequest, actor: UUID, in tx: Transaction,
                     _ create: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        guard let key = request.headers[header] else { return try await create() }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw HTTPError.badRequest("Idempotency-Key must be 1–200 visible ASCII characters.", code: "invalid_idempotency_key")
        }
        let route = request.context.route
        let claimed = try await tx.execute("""
            INSERT INTO idempotency_keys (actor, route, key) VALUES (\(actor), \(route), \(key)) ON CONFLICT DO NOTHING
            """)
        if claimed == 0 {
            let stored = try await tx.query("SELECT status, body FROM idempotency_keys WHERE actor = \(actor) AND route = \(route) AND key = \(key)")
            guard let row = stored.first, let status = try row.decode("status", as: Int?.self),
                  let body = try row.decode("body", as: [UInt8]?.self) else {
                throw HTTPError.conflict("A request with this Idempotency-Key is still in progress.", code: "idempotency_in_progress")
            }
            var response = HTTPResponse.jsonBytes(body, status: HTTPStatus(rawValue: status))
            response.headers["Idempotent-Replayed"] = "true"
            return response
        }
        let response = try await create()
        try await tx.execute("""
            UPDATE idempotency_keys SET status = \(response.status.rawValue), body = \(response.body.bytes)
            WHERE actor = \(actor) AND route = \(route) AND key = \(key)
            """)
        return response
    }
}
