import MusterContracts
import MusterCore
import MusterHTTP
import MusterTime

/// `GET /api/v1/records/settings` (any role of the agency) and `PATCH` (agency admins):
/// the agency's Records settings, today its `time_zone` (an IANA name, default
/// `America/Chicago`), which decides what "today" is for a training record's `completed_on`.
///
/// ```
/// PATCH /api/v1/records/settings {"time_zone": "America/Denver"}   → 200 {"time_zone": "America/Denver"}
/// PATCH /api/v1/records/settings {"time_zone": "Mars/Olympus"}     → 422 invalid_time_zone
/// ```
struct SettingsRoutes {
    let services: RecordsRuntime

    func register(on api: RouteGroup) {
        api.get("/records/settings") { request in try await read(request) }
        api.patch("/records/settings", bodyLimit: 4 << 10) { request in try await change(request) }
    }

    private static func body(_ zone: AgencyTimeZone) -> [String: JSONValue] { ["time_zone": .string(zone.identifier)] }

    private func read(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await services.withCaller(request) { caller, tx in
            try RecordsAccess.requireMember(caller)
            return try .json(Self.body(try await RecordsSettings.timeZone(in: tx)))
        }
    }

    private func change(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try RequestFields(request, allowed: ["time_zone"])
        let name = try body.text("time_zone", max: 64)!
        guard let zone = AgencyTimeZone(name) else {
            throw HTTPError.unprocessable("time_zone must be an IANA time zone name such as America/Chicago.", code: "invalid_time_zone")
        }
        return try await services.withCaller(request) { caller, tx in
            guard !caller.supportGrant, caller.roles.contains(.agencyAdmin) else {
                throw HTTPError.forbidden("Only agency admins change the agency's settings.")
            }
            let audit = try RecordsAudit(request, caller: caller)
            let before = Self.body(try await RecordsSettings.timeZone(in: tx))
            try await RecordsSettings.setTimeZone(zone, in: tx)
            let after = Self.body(zone)
            if before != after {
                try await audit.record("records.settings.changed", target: .records("agency", audit.agency), before: before, after: after, in: tx)
            }
            return try .json(after)
        }
    }
}
