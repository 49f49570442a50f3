import AuditService
import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterHTTPClient
import MusterHTTPServer
import MusterTime

/// What the benchmark runs against: a real Audit process (release build) on its own
/// database with its own least-privilege role, in the cluster `run.sh` started.
///
/// Identity is not started: user tokens are signed here with a key whose public
/// half a small in-process server publishes as Identity's JWKS (with an empty
/// revocation feed), so Audit verifies them exactly as it verifies Identity's.
final class BenchPlatform: Sendable {
    let adminURL: String
    let serviceURL: String
    let auditURL: String
    let process: Process
    let client: HTTPClient
    let identitySigner: ServiceCredentialSigner
    let recordsSigner: ServiceCredentialSigner
    let tokenKey: JWTSigningKey
    let identityStandIn: HTTPServer
    static let database = "muster_audit_bench"
    static let logger = Logger(service: "bench-audit", minimumLevel: .warning)

    private init(adminURL: String, serviceURL: String, auditURL: String, process: Process, client: HTTPClient,
                 identitySigner: ServiceCredentialSigner, recordsSigner: ServiceCredentialSigner, tokenKey: JWTSigningKey,
                 identityStandIn: HTTPServer) {
        self.adminURL = adminURL
        self.serviceURL = serviceURL
        self.auditURL = auditURL
        self.process = process
        self.client = client
        self.identitySigner = identitySigner
        self.recordsSigner = recordsSigner
        self.tokenKey = tokenKey
        self.identityStandIn = identityStandIn
    }

    static func start(adminURL: String, auditBinary: String, port: Int) async throws -> BenchPlatform {
        let admin = DatabaseAdmin(superuserURL: adminURL, logger: logger)
        try await admin.dropDatabase(database)
        let serviceURL = try await admin.provisionServiceDatabase(database: database, role: database,
                                                                  password: Base64URL.encode(SecureRandom.bytes(24)))
        let keys = [ServiceName.identity, .records, .audit].map { ($0, Ed25519.PrivateKey()) }
        let tokenKey = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let standIn = try identityStandIn(publishing: tokenKey)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: auditBinary)
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["MUSTER_AUDIT_DATABASE_URL"] = serviceURL
        environment["MUSTER_AUDIT_PORT"] = String(port)
        environment["MUSTER_AUDIT_HOST"] = "127.0.0.1"
        environment["MUSTER_AUDIT_SERVICE_KEY"] = Base64.encode(keys[2].1.rawRepresentation)
        environment["MUSTER_SERVICE_PUBLIC_KEYS"] = keys.map { "\($0.0.rawValue):\(Base64.encode($0.1.publicKey.rawRepresentation))" }
            .joined(separator: ",")
        environment["MUSTER_MASTER_KEY"] = Base64.encode(SymmetricKey().rawRepresentation)
        environment["MUSTER_IDENTITY_URL"] = "http://127.0.0.1:\(standIn.localPort)"
        environment["MUSTER_LOG_LEVEL"] = "warning"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        let client = HTTPClient(configuration: .init(timeout: .seconds(600), maxConnectionsPerHost: 32))
        let platform = BenchPlatform(adminURL: adminURL, serviceURL: serviceURL, auditURL: "http://127.0.0.1:\(port)", process: process,
                                     client: client, identitySigner: ServiceCredentialSigner(service: .identity, privateKey: keys[0].1),
                                     recordsSigner: ServiceCredentialSigner(service: .records, privateKey: keys[1].1),
                                     tokenKey: tokenKey, identityStandIn: standIn)
        try await platform.waitUntilReady()
        return platform
    }

    /// Publishes `key` at Identity's JWKS path, and an empty revocation feed.
    private static func identityStandIn(publishing key: JWTSigningKey) throws -> HTTPServer {
        let router = Router()
        let jwks = try JWKSet(signingKeys: [key]).encoded()
        router.get(AccessTokenConventions.jwksPath) { _ in .jsonBytes(jwks) }
        router.get(RevocationFeed.path) { _ in
            try .json(RevocationFeed(revokedSessions: [], suspendedAgencies: [], nextCursor: "0", hasMore: false))
        }
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.eventLoops = 1
        let server = HTTPServer(configuration: configuration, responder: router.build(), logger: logger)
        try server.start()
        return server
    }

    private func waitUntilReady() async throws {
        for _ in 0..<300 {
            if let response = try? await client.send(HTTPClientRequest(url: auditURL + "/readyz")), response.status == .ok { return }
            guard process.isRunning else { throw BenchError("audit exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("audit did not become ready")
    }

    /// Provisions an agency's chain as Identity does.
    func provision(_ agency: AgencyID, slug: String) async throws {
        let body = try JSONCoding.encode(ProvisionAgencyRequest(slug: slug, name: slug))
        let response = try await client.send(HTTPClientRequest(method: .put, url: auditURL + "/internal/agencies/\(agency)",
                                                               headers: ["Authorization": "Bearer " + identitySigner.credential(for: .audit),
                                                                         "Content-Type": "application/json"], body: body))
        guard response.status == .ok else { throw BenchError("provisioning answered \(response.status.rawValue)") }
    }

    /// `POST /internal/events` with a pre-encoded batch; returns how many were accepted.
    func post(_ batch: [UInt8]) async throws -> Int {
        let response = try await client.send(HTTPClientRequest(method: .post, url: auditURL + "/internal/events",
                                                               headers: ["Authorization": "Bearer " + recordsSigner.credential(for: .audit),
                                                                         "Content-Type": "application/json"], body: batch))
        guard response.status == .ok else { throw BenchError("ingest answered \(response.status.rawValue)") }
        return try JSONCoding.decode(AcceptedIDs.self, from: response.body).accepted.count
    }

    /// An agency admin's access token, as Identity would sign it.
    func adminToken(for agency: AgencyID) throws -> String {
        let now = Timestamp.nowSeconds
        let claims = AccessTokenClaims(iss: AccessTokenConventions.issuer, sub: UserID().description, aud: AccessTokenConventions.audience,
                                       exp: now + 3600, iat: now, sid: SessionID().description, tid: agency.description,
                                       agency: "bench", roles: [Role.agencyAdmin.rawValue], amr: ["pwd"])
        return try JWT.sign(claims, type: JWT.accessTokenType, key: tokenKey)
    }

    /// A `GET` on Audit with a user token; returns status and body.
    func get(_ path: String, token: String) async throws -> HTTPClientResponse {
        try await client.send(HTTPClientRequest(url: auditURL + path, headers: ["Authorization": "Bearer " + token]))
    }

    /// CPU seconds the Audit process has used so far (user + system, from /proc).
    func auditCPUSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based, in clock ticks).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() async {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        await identityStandIn.shutdown()
        await client.shutdown()
        try? await DatabaseAdmin(superuserURL: adminURL, logger: Self.logger).dropDatabase(Self.database)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
