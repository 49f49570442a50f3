/// The body of `GET /readyz`: each dependency and whether it answered.
public struct ReadinessReport: Codable, Sendable, Equatable {
    public struct Check: Codable, Sendable, Equatable {
        public var name: String
        public var ok: Bool
        public var detail: String?
        public init(name: String, ok: Bool, detail: String? = nil) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    public var status: String
    public var service: String
    public var version: String
    /// Seconds since the process started (absent from older services).
    public var uptimeSeconds: Int?
    public var checks: [Check]

    public init(service: String, version: String, uptimeSeconds: Int? = nil, checks: [Check]) {
        self.service = service
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.checks = checks
        self.status = checks.allSatisfy(\.ok) ? "ready" : "not_ready"
    }

    public var isReady: Bool { status == "ready" }
}
