import Foundation
import GatewayService
import MusterContracts
import MusterCore
import MusterTestSupport
import Testing

/// `GET /api/openapi.json` is a valid OpenAPI 3.1 document that describes
/// exactly the public routes the services register (asked of each running
/// service at `GET /internal/routes`) plus the Gateway's own, calls a route open
/// only where the Gateway asks for no token, and schemathesis, through the
/// Gateway to the real services, finds no server error and no answer that the
/// document does not describe.
@Suite struct OpenAPITests {
    /// The Gateway's own public routes (its `/internal/routes` is not reachable from outside).
    static let gatewayRoutes: Set<RegisteredRoutes.Route> = [
        .init(method: "GET", template: "/healthz"),
        .init(method: "GET", template: "/api/openapi.json"), .init(method: "GET", template: "/api/v1/platform/status"),
    ]

    /// Every operation of the document; with `open`, only those it says need no token (`security: []`).
    static func operations(of document: [String: Any], open: Bool = false) -> Set<RegisteredRoutes.Route> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, item in
            item.filter { method, operation in
                ["get", "put", "post", "patch", "delete"].contains(method)
                    && (!open || ((operation as? [String: Any])?["security"] as? [Any])?.isEmpty == true)
            }.map { RegisteredRoutes.Route(method: $0.key.uppercased(), template: path) }
        })
    }

    @Test func documentValidatesAndDescribesExactlyTheRegisteredPublicRoutes() async throws {
        let platform = try await Platform.start()
        defer { platform.stop() }
        let response = try Curl.request("GET", platform.url(.gateway) + "/api/openapi.json")
        #expect(response.status == 200)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("muster-openapi-\(platform.suffix).json")
        try Data(response.body.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let validation = try Command.run("openapi-spec-validator", [file.path])
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")

        let table = RouteTable.standard(defaultTimeout: .seconds(30))
        var registered = Self.gatewayRoutes
        for service in [Platform.Service.identity, .records, .audit, .notify] {
            let credential = try platform.serviceCredential(as: .gateway, for: service.name)
            let listing = try Curl.request("GET", platform.url(service) + "/internal/routes", headers: ["Authorization": "Bearer \(credential)"])
            #expect(listing.status == 200)
            let routes = try JSONCoding.decode(RegisteredRoutes.self, from: Array(listing.body.utf8))
            for route in routes.routes where route.template.hasPrefix("/api/") || route.template.hasPrefix("/.well-known/") {
                #expect(table.match(route.template[...])?.service == service.name,
                        "\(route.method) \(route.template) of \(service.rawValue) is routed to it by the Gateway")
                registered.insert(route)
            }
        }
        let document = try #require(response.json)
        let documented = Self.operations(of: document)
        #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered))")
        #expect(registered.subtracting(documented).isEmpty, "served but not documented: \(registered.subtracting(documented))")
        for route in Self.operations(of: document, open: true) {
            #expect(table.match(route.template[...])?.requiresToken != true,
                    "\(route.method) \(route.template) is documented as open but the Gateway asks for a token")
        }
    }

    /// An agency admin's token for the agency's routes, an operator's for the platform's, and a session
    /// of its own for the routes that end the session they are called with.
    @Test func schemathesisFindsNoServerErrorAndAnswersMatchTheDocument() async throws {
        let platform = try await Platform.start(extraEnvironment: ["MUSTER_RATE_LIMITS": "off"])
        defer { platform.stop() }
        let agency = try await platform.createAgency(waitUntilActive: true)
        let operatorSession = try await platform.bootstrapOperator()
        let spare = try platform.login(agency: agency.slug, email: agency.admin.email, password: agency.admin.password)
        // One regex per filter: schemathesis keeps only the last of repeated `--exclude-path-regex`.
        // Records' routes are a run of their own: one bounded run over every agency route no longer fits its time.
        let platformRoutes = "platform/", sessionEnding = "auth/logout|me/sessions/"
        let recordsRoutes = "units|personnel|me/person|me/training-records|me/policies|categories|courses|certification|training-|expenses|imports/|policies"
        let runs: [(token: String, filter: [String])] = [
            (agency.adminToken, ["--exclude-path-regex", "^/api/v1/(\(platformRoutes)|\(sessionEnding)|\(recordsRoutes))"]),
            (agency.adminToken, ["--include-path-regex", "^/api/v1/(\(recordsRoutes))"]),
            (operatorSession.accessToken, ["--include-path-regex", "^/api/v1/(\(platformRoutes))"]),
            (spare.accessToken, ["--include-path-regex", "^/api/v1/(\(sessionEnding))"]),
        ]
        for run in runs {
            let result = try Self.schemathesis(platform.url(.gateway) + "/api/openapi.json", token: run.token, filter: run.filter)
            #expect(result.status == 0, "\(run.filter): \(result.stdout.suffix(4000))\(result.stderr.suffix(2000))")
        }
    }

    /// One bounded schemathesis run over the operations `filter` selects: no `5xx`, and every answer's
    /// status, content type and body as the document says.
    static func schemathesis(_ document: String, token: String, filter: [String]) throws -> CommandResult {
        // schemathesis keeps state in its working folder: a scratch one.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("muster-schemathesis-\(TestEnvironment.uniqueSuffix())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let checks = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
        return try Command.run("timeout", [
            "300", "schemathesis", "run", document, "--checks", checks,
            "--max-examples", "20", "--workers", "1", "--request-timeout", "5", "--no-color",
            "-H", "Authorization: Bearer \(token)",
        ] + filter, currentDirectory: scratch)
    }
}
