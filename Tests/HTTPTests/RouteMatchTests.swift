import MusterHTTP
import Testing

/// Route matching through `RoutingResponder.respond(to:)`, without a server:
/// literals before parameters, decoded parameters, HEAD, 404 and 405.
@Suite struct RouteMatchTests {
    static let responder: RoutingResponder = {
        let router = Router()
        for template in ["/", "/users", "/users/me", "/users/{id}", "/users/{id}/roles", "/user", "/api/v1/auth/ping", "/a//b", "/trailing/"] {
            router.get(template) { request in
                let parameter = request.parameter("id").map { " id=\($0)" } ?? ""
                return .text("\(request.context.route)\(parameter)")
            }
        }
        router.post("/users") { _ in .text("created") }
        return router.build()
    }()

    /// The handler's answer, or the thrown error's status and code.
    static func answer(_ method: HTTPMethod, _ target: String) async -> String {
        do {
            let response = try await responder.respond(to: HTTPRequest(method: method, target: target))
            return String(decoding: response.body.bytes, as: UTF8.self)
        } catch let error as HTTPError {
            let allow = error.headers["Allow"].map { " allow=\($0)" } ?? ""
            return "\(error.status.rawValue) \(error.code)\(allow)"
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test(arguments: [
        ("/", "GET /"),
        ("/users", "GET /users"),
        ("/user", "GET /user"),
        ("/users/me", "GET /users/me"),
        ("/users/42", "GET /users/{id} id=42"),
        ("/users/42?x=1", "GET /users/{id} id=42"),
        ("/users/a%20b/roles", "GET /users/{id}/roles id=a b"),
        ("/users/%C3%A9", "GET /users/{id} id=é"),
        ("/api/v1/auth/ping", "GET /api/v1/auth/ping"),
        ("/a//b", "GET /a//b"),
        ("/trailing/", "GET /trailing/"),
        ("/trailing", "404 not_found"),
        ("/users/", "404 not_found"),
        ("/users/%00", "404 not_found"),
        ("/users/%zz", "404 not_found"),
        ("/usersx", "404 not_found"),
        ("/api/v1/auth/pin", "404 not_found"),
        ("/api/v1/auth/ping/more", "404 not_found"),
    ])
    func getMatches(target: String, expected: String) async {
        #expect(await Self.answer(.get, target) == expected)
    }

    @Test func headFallsBackToGetAndOtherMethodsAreRefused() async {
        #expect(await Self.answer(.head, "/users/7") == "GET /users/{id} id=7")
        #expect(await Self.answer(.post, "/users") == "created")
        #expect(await Self.answer(.delete, "/users") == "405 method_not_allowed allow=GET, POST")
        #expect(await Self.answer(.delete, "/nowhere") == "404 not_found")
    }

    @Test func aFixedAnswerIsFoundByTheSameWalkAsAnyRoute() {
        let router = Router()
        router.fixed(.get, "/ping", .text("pong"))
        router.fixed(.get, "/items/{id}", .text("item"))
        router.get("/items/new") { _ in .text("new") }
        let responder = router.build()
        #expect(responder.fixedResponse(method: .get, path: "/ping") != nil)
        #expect(responder.fixedResponse(method: .head, path: "/ping") != nil)
        #expect(responder.fixedResponse(method: .post, path: "/ping") == nil)
        #expect(responder.fixedResponse(method: .get, path: "/items/7") != nil)
        // A literal sibling wins over the parameter, as in `resolve`.
        #expect(responder.fixedResponse(method: .get, path: "/items/new") == nil)
        #expect(responder.fixedResponse(method: .get, path: "/pong") == nil)
        #expect(Self.responder.fixedResponse(method: .get, path: "/users") == nil)
    }
}
