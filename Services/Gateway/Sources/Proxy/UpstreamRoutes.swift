import MusterCore

/// Which service owns which public path prefix.
public struct UpstreamRoutes: Sendable {
    public struct Entry: Sendable {
        public let prefix: String
        public let service: ServiceName
    }

    public let entries: [Entry]

    /// The routes of docs/architecture.md; longest prefix first.
    public static let standard = UpstreamRoutes(entries: [
        Entry(prefix: "/api/v1/auth/", service: .identity),
        Entry(prefix: "/api/v1/users", service: .identity),
        Entry(prefix: "/api/v1/me", service: .identity),
        Entry(prefix: "/api/v1/agency/", service: .identity),
        Entry(prefix: "/api/v1/platform/", service: .identity),
        Entry(prefix: "/.well-known/jwks.json", service: .identity),
        Entry(prefix: "/api/v1/records/", service: .records),
        Entry(prefix: "/api/v1/audit/", service: .audit),
        Entry(prefix: "/api/v1/notify/", service: .notify),
    ])

    /// The service owning `path`, or nil. A prefix without a trailing slash matches
    /// only itself or itself followed by `/` or `?` (so `/api/v1/users` ≠ `/api/v1/usersX`).
    public func service(for path: Substring) -> ServiceName? {
        for entry in entries where path.hasPrefix(entry.prefix) {
            if entry.prefix.hasSuffix("/") || path.count == entry.prefix.count { return entry.service }
            let next = path[path.index(path.startIndex, offsetBy: entry.prefix.count)]
            if next == "/" { return entry.service }
        }
        return nil
    }
}
