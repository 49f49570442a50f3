import Foundation
import MusterAuth
import MusterCore

/// A signed-in user's tokens, as `POST /api/v1/auth/login` answered them.
public struct Session: Sendable {
    public let accessToken: String
    public let refreshToken: String
    public let agencySlug: String

    /// `Authorization: Bearer …` for `Curl.request(headers:)`.
    public var authorization: [String: String] { ["Authorization": "Bearer \(accessToken)"] }
}

/// An agency created through Identity, with its first admin signed in.
public struct AgencyFixture: Sendable {
    public let id: String
    public let slug: String
    public let admin: UserFixture
    /// The admin's access token.
    public var adminToken: String { admin.accessToken }
}

/// A user who accepted their invitation and signed in.
public struct UserFixture: Sendable {
    public let id: String
    public let email: String
    public let password: String
    public let session: Session
    public var accessToken: String { session.accessToken }
}

public struct IdentityFixtureError: Error, CustomStringConvertible {
    public let description: String
}

/// Helpers for any team's tests against a real Identity process (and Records,
/// Audit, Notify when the platform started them).
///
/// ```swift
/// let platform = try await Platform.start()
/// let agency = try await platform.createAgency(waitUntilActive: true)
/// let officer = try await platform.createUser(in: agency, roles: [.officer])
/// let me = try Curl.request("GET", platform.url(.gateway) + "/api/v1/me", headers: officer.session.authorization)
/// ```
extension Platform {
    /// A password every fixture user gets (passes the policy: long, not common, no slug or email name).
    public static let fixturePassword = "Quiet harbour lanterns 42!"
    public static let operatorEmail = "operator@muster.test"

    /// Creates the first operator (once per platform) and signs in as them.
    public func bootstrapOperator() async throws -> Session {
        let created = try runCommand(.identity, ["create-operator", "--email", Self.operatorEmail], input: Self.fixturePassword + "\n")
        guard created.status == 0 || created.stderr.contains("exists") else {
            throw IdentityFixtureError(description: "create-operator failed: \(created.stderr)")
        }
        return try login(agency: "platform", email: Self.operatorEmail, password: Self.fixturePassword)
    }

    /// `POST /api/v1/auth/login` straight to Identity (optionally from a local address such as `127.0.0.2`).
    public func login(agency: String, email: String, password: String, from address: String? = nil) throws -> Session {
        let response = try Curl.request("POST", url(.identity) + "/api/v1/auth/login", headers: ["Content-Type": "application/json"],
                                        body: Self.json(["agency": agency, "email": email, "password": password]),
                                        extra: address.map { ["--interface", $0] } ?? [])
        guard response.status == 200, let access = response.json?["access_token"] as? String,
              let refresh = response.json?["refresh_token"] as? String else {
            throw IdentityFixtureError(description: "login of \(email) at \(agency) answered \(response.status): \(response.body)")
        }
        return Session(accessToken: access, refreshToken: refresh, agencySlug: agency)
    }

    /// Creates an agency as an operator and signs its first admin in. With Records,
    /// Audit and Notify running, `waitUntilActive` waits for provisioning to finish;
    /// without them the agency stays `provisioning` but Identity already works for it.
    public func createAgency(slug: String? = nil, waitUntilActive: Bool = false) async throws -> AgencyFixture {
        let ops = try await bootstrapOperator()
        let slug = slug ?? "agency-" + TestEnvironment.uniqueSuffix()
        let adminEmail = "admin@\(slug).test"
        let response = try Curl.request("POST", url(.identity) + "/api/v1/platform/agencies",
                                        headers: ops.authorization.merging(["Content-Type": "application/json"]) { $1 },
                                        body: Self.json(["slug": slug, "name": "Agency \(slug)", "admin_email": adminEmail,
                                                         "admin_name": "Admin of \(slug)"]))
        guard response.status == 201, let id = response.json?["id"] as? String else {
            throw IdentityFixtureError(description: "creating agency \(slug) answered \(response.status): \(response.body)")
        }
        if waitUntilActive { try await self.waitUntilActive(agency: id, operator: ops) }
        let admin = try await acceptInvitation(email: adminEmail, agency: slug)
        return AgencyFixture(id: id, slug: slug, admin: admin)
    }

    /// Polls `GET /api/v1/platform/agencies/{id}` until the agency is `active`.
    public func waitUntilActive(agency id: String, operator session: Session, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let response = try Curl.request("GET", url(.identity) + "/api/v1/platform/agencies/\(id)", headers: session.authorization)
            if response.json?["status"] as? String == "active" { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw IdentityFixtureError(description: "agency \(id) did not become active within \(timeout)")
    }

    /// Invites a user with `roles` as the agency's admin, accepts the invitation and signs in.
    public func createUser(in agency: AgencyFixture, roles: [Role], name: String = "Test User") async throws -> UserFixture {
        let email = "user-\(TestEnvironment.uniqueSuffix())@\(agency.slug).test"
        let response = try Curl.request("POST", url(.identity) + "/api/v1/users",
                                        headers: ["Authorization": "Bearer \(agency.adminToken)", "Content-Type": "application/json"],
                                        body: Self.json(["email": email, "name": name, "roles": roles.map(\.rawValue)]))
        guard response.status == 201 else {
            throw IdentityFixtureError(description: "inviting \(email) answered \(response.status): \(response.body)")
        }
        return try await acceptInvitation(email: email, agency: agency.slug)
    }

    /// Accepts the latest invitation of `email` with `fixturePassword` and signs in.
    public func acceptInvitation(email: String, agency: String) async throws -> UserFixture {
        let token = try await latestToken(template: "invitation", to: email)
        let accepted = try Curl.request("POST", url(.identity) + "/api/v1/auth/invitations/accept",
                                        headers: ["Content-Type": "application/json"],
                                        body: Self.json(["token": token, "password": Self.fixturePassword]))
        guard accepted.status == 204 else {
            throw IdentityFixtureError(description: "accepting the invitation of \(email) answered \(accepted.status): \(accepted.body)")
        }
        let session = try login(agency: agency, email: email, password: Self.fixturePassword)
        let me = try Curl.request("GET", url(.identity) + "/api/v1/me", headers: session.authorization)
        guard let id = me.json?["id"] as? String else { throw IdentityFixtureError(description: "GET /me answered \(me.body)") }
        return UserFixture(id: id, email: email, password: Self.fixturePassword, session: session)
    }

    /// The token of the newest email of `template` (`invitation`, `password_reset`) to `address`,
    /// read the way a person would get it: from Identity's outbox while Notify has not taken
    /// it yet, else from the `.eml` files Notify wrote to the mail folder.
    public func latestToken(template: String, to address: String, timeout: Duration = .seconds(45)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        let prefix = template == "invitation" ? "mit" : "mpr"
        let pattern = try NSRegularExpression(pattern: "\(prefix)\\.[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}")
        while ContinuousClock.now < deadline {
            let outbox = try Command.psql("""
                SELECT payload->'data'->>'token' FROM platform.outbox
                WHERE topic = 'emails' AND payload->>'template' = '\(template)' AND payload->'recipient'->>'address' = '\(address)'
                ORDER BY created_at DESC LIMIT 1
                """, database: databaseName(.identity))
            if !outbox.isEmpty { return outbox }
            if let token = newestMailToken(to: address, pattern: pattern) { return token }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw IdentityFixtureError(description: "no \(template) email to \(address) within \(timeout)")
    }

    private func newestMailToken(to address: String, pattern: NSRegularExpression) -> String? {
        guard let folder = environment["MUSTER_MAIL_DIR"],
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let files = names.filter { $0.hasSuffix(".eml") }.map { URL(fileURLWithPath: folder).appendingPathComponent($0) }
        let dated = files.compactMap { url -> (Date, URL)? in
            guard let date = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate else { return nil }
            return (date, url)
        }.sorted { $0.0 > $1.0 }
        for (_, url) in dated {
            guard let raw = try? String(contentsOf: url, encoding: .utf8), raw.contains(address) else { continue }
            // Undo quoted-printable soft line breaks and `=3D` before looking for the token.
            let text = raw.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "")
                .replacingOccurrences(of: "=3D", with: "=")
            if let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
               let range = Range(match.range, in: text) {
                return String(text[range])
            }
        }
        return nil
    }

    /// A JSON body from string and string-array values.
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
