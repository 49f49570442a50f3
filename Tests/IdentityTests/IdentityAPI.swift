import Foundation
import MusterTestSupport

/// Short calls to a real Identity process with the real curl.
struct IdentityAPI {
    let platform: Platform

    var base: String { platform.url(.identity) }

    @discardableResult
    func call(_ method: String, _ path: String, token: String? = nil, json: [String: Any]? = nil, body: String? = nil,
              headers: [String: String] = [:], from address: String? = nil) throws -> CurlResponse {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        var text = body
        if let json {
            text = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
        }
        if text != nil, all["Content-Type"] == nil { all["Content-Type"] = "application/json" }
        return try Curl.request(method, base + path, headers: all, body: text, extra: address.map { ["--interface", $0] } ?? [])
    }

    func login(_ agency: String, _ email: String, _ password: String, from address: String? = nil) throws -> CurlResponse {
        try call("POST", "/api/v1/auth/login", json: ["agency": agency, "email": email, "password": password], from: address)
    }

    /// Rows of `sql` in Identity's database.
    func sql(_ sql: String) throws -> String { try Command.psql(sql, database: platform.databaseName(.identity)) }

    static func schema(_ agency: String) -> String { "agency_" + agency.replacingOccurrences(of: "-", with: "") }
}

extension CurlResponse {
    var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
}
