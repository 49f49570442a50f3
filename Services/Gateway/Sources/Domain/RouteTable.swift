import Glibc
import MusterCore

/// Which service owns a public path, and the rules the Gateway applies to it.
///
/// ```swift
/// let table = RouteTable.standard(defaultTimeout: .seconds(30))
/// table.match("/api/v1/records/courses")?.service   // .records
/// table.match("/internal/agencies")                 // nil: never forwarded
/// ```
public struct RouteTable: Sendable {
    public struct Route: Sendable {
        /// `/api/v1/records/` (any path below it) or `/api/v1/users` (itself, or below it).
        public let prefix: String
        public let service: ServiceName
        /// Public routes are open (login, refresh, JWKS…); the others need a valid access token at the edge.
        public let requiresToken: Bool
        /// Limited per client address (`/api/v1/auth/*`) rather than per agency and user.
        public let limitedPerAddress: Bool
        public let timeout: Duration
        public let bodyLimit: Int
        /// The route's name in metrics and logs, e.g. `/api/v1/records/*` (made once, not per request).
        public let label: String

        public init(prefix: String, service: ServiceName, requiresToken: Bool, limitedPerAddress: Bool, timeout: Duration, bodyLimit: Int) {
            self.prefix = prefix
            self.service = service
            self.requiresToken = requiresToken
            self.limitedPerAddress = limitedPerAddress
            self.timeout = timeout
            self.bodyLimit = bodyLimit
            label = prefix + "*"
        }
    }

    public let routes: [Route]

    public init(routes: [Route]) { self.routes = routes }

    /// The routes of docs/architecture.md. Everything under `/api/v1/auth/`
    /// (login, refresh, invitation acceptance, password reset), the JWKS and the
    /// audit checkpoint keys (anyone verifying an export offline needs them) are
    /// public; the services check what they must themselves.
    public static func standard(defaultTimeout: Duration, defaultBodyLimit: Int = 1 << 20) -> RouteTable {
        func route(_ prefix: String, _ service: ServiceName, open: Bool = false, perAddress: Bool = false,
                   timeout: Duration? = nil, bodyLimit: Int? = nil) -> Route {
            Route(prefix: prefix, service: service, requiresToken: !open, limitedPerAddress: perAddress,
                  timeout: timeout ?? defaultTimeout, bodyLimit: bodyLimit ?? defaultBodyLimit)
        }
        // Evidence uploads are at most 10 MiB (Records answers 413 above); the headroom lets Records, not the
        // Gateway, give that answer. A 200,000-row training import is about 20 MiB of CSV.
        let attachments = (10 << 20) + (1 << 20), imports = 64 << 20
        return RouteTable(routes: [
            route("/api/v1/auth/", .identity, open: true, perAddress: true, bodyLimit: 16 << 10),
            route("/.well-known/jwks.json", .identity, open: true, bodyLimit: 0),
            route("/api/v1/users", .identity),
            // An officer's own file is Records', their reminder preferences Notify's; the rest of /api/v1/me is Identity's (first match wins).
            route("/api/v1/me/person", .records),
            route("/api/v1/me/training-records", .records),
            route("/api/v1/me/compliance", .records),
            route("/api/v1/me/policies", .records),
            route("/api/v1/me/reminder-preferences", .notify),
            route("/api/v1/me", .identity),
            route("/api/v1/agency/", .identity),
            route("/api/v1/platform/", .identity),
            // Imports of training history and attachments are the large bodies; exports take longest.
            route("/api/v1/records/", .records, timeout: defaultTimeout * 4, bodyLimit: 20 << 20),
            route("/api/v1/units", .records),
            route("/api/v1/personnel", .records),
            route("/api/v1/personnel.csv", .records, timeout: defaultTimeout * 4),
            route("/api/v1/categories", .records),
            route("/api/v1/courses", .records),
            route("/api/v1/certification-types", .records),
            route("/api/v1/training-records", .records, bodyLimit: attachments),
            route("/api/v1/training-records.csv", .records, timeout: defaultTimeout * 4),
            route("/api/v1/certifications", .records, bodyLimit: attachments),
            route("/api/v1/training-events", .records),
            route("/api/v1/expenses", .records, bodyLimit: attachments),
            route("/api/v1/expenses.csv", .records, timeout: defaultTimeout * 4),
            route("/api/v1/imports/", .records, timeout: defaultTimeout * 4, bodyLimit: imports),
            route("/api/v1/requirements", .records),
            route("/api/v1/requirement-packs", .records),
            route("/api/v1/compliance", .records),
            route("/api/v1/compliance.csv", .records, timeout: defaultTimeout * 4),
            // A policy document is at most 10 MiB, like evidence.
            route("/api/v1/policies", .records, bodyLimit: attachments),
            route("/api/v1/audit/keys", .audit, open: true, bodyLimit: 0),
            route("/api/v1/audit/", .audit, timeout: defaultTimeout * 4),
            route("/api/v1/notify/", .notify),
            route("/api/v1/reminders", .notify),
        ])
    }

    /// The route owning `path` (without query), or nil.
    public func match(_ path: Substring) -> Route? {
        // Compared as contiguous bytes (`hasPrefix` compares characters, which cost more than
        // the proxying), on routes lent to the search: only the one that matches is copied out.
        path.withUTF8Bytes { path in
            routes.firstIndex { route in
                route.prefix.withUTF8Bytes { prefix in
                    guard path.count >= prefix.count, memcmp(path.baseAddress!, prefix.baseAddress!, prefix.count) == 0 else { return false }
                    return prefix.last == UInt8(ascii: "/") || path.count == prefix.count || path[prefix.count] == UInt8(ascii: "/")
                }
            }.map { routes[$0] }
        }
    }
}
