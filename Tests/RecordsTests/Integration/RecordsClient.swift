import Foundation
import MusterTestSupport

/// Calls Records' public routes through the Gateway of a running platform, as a
/// browser or script would, and reads Records' tables straight from PostgreSQL to
/// prove what was (or was not) written.
///
/// ```swift
/// let api = RecordsClient(platform: platform)
/// let created = try api.call("POST", "/units", token: coordinator, json: ["name": "Patrol"])
/// created.status   // 201
/// try api.count("units", agency: agencyID)   // 1
/// ```
struct RecordsClient: Sendable {
    let platform: Platform

    /// `method` `/api/v1` + `path` with a bearer token and a JSON body (any JSONSerialization value).
    func call(_ method: String, _ path: String, token: String?, json: Any? = nil,
              headers: [String: String] = [:]) throws -> CurlResponse {
        var body: String?
        if let json {
            body = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]), as: UTF8.self)
        }
        return try raw(method, path, token: token, body: body, headers: headers)
    }

    /// The same with a body given as text (to send malformed JSON).
    func raw(_ method: String, _ path: String, token: String?, body: String?, headers: [String: String] = [:]) throws -> CurlResponse {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        if body != nil, all["Content-Type"] == nil { all["Content-Type"] = "application/json" }
        return try Curl.request(method, platform.url(.gateway) + "/api/v1" + path, headers: all, body: body)
    }

    /// The same with a body of raw bytes (invalid UTF-8, a body of megabytes), sent from a file.
    func bytes(_ method: String, _ path: String, token: String, body: [UInt8]) throws -> CurlResponse {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("records-body-\(UUID().uuidString)")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try Curl.request(method, platform.url(.gateway) + "/api/v1" + path,
                                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                extra: ["--data-binary", "@\(file.path)"])
    }

    /// Rows of `table` in the agency's schema of Records' database (optionally `WHERE filter`).
    func count(_ table: String, agency: String, where filter: String? = nil) throws -> Int {
        let schema = "agency_" + agency.replacingOccurrences(of: "-", with: "")
        let sql = "SELECT count(*) FROM \"\(schema)\".\(table)" + (filter.map { " WHERE \($0)" } ?? "")
        return Int(try Command.psql(sql, database: platform.databaseName(.records))) ?? -1
    }

    /// The id of a created resource (fails the test's expectation with the body otherwise).
    static func id(_ response: CurlResponse) -> String {
        response.json?["id"] as? String ?? "missing-id(\(response.status) \(response.body.prefix(300)))"
    }
}

extension CurlResponse {
    /// The error code of a standard error body.
    var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }

    /// The items of a list body.
    var items: [[String: Any]] { json?["items"] as? [[String: Any]] ?? [] }
}
