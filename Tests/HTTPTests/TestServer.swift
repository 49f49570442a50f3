import Foundation
import MusterCore
import MusterHTTP
import MusterHTTPServer
import Synchronization
import Testing

/// Runs a real server on a free port for one test, and shuts it down afterwards.
enum TestServer {
    /// Short timeouts so that timeout tests take a fraction of a second.
    static func configuration() -> HTTPServer.Configuration {
        HTTPServer.Configuration(host: "127.0.0.1", port: 0, eventLoops: 1, shutdownGrace: .seconds(2))
    }

    static func run(configure: (inout HTTPServer.Configuration) -> Void = { _ in },
                    routes: (Router) -> Void = TestRoutes.register,
                    _ body: (HTTPServer) async throws -> Void) async throws {
        var configuration = configuration()
        configure(&configuration)
        let router = Router()
        routes(router)
        let server = HTTPServer(configuration: configuration, responder: router.build(),
                                logger: Logger(service: "http-tests", minimumLevel: .error))
        try server.start()
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}

/// Counts the requests it sees, to show which ones went through the middleware.
final class CountingMiddleware: Middleware {
    let seen = Atomic<Int>(0)
    func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        seen.add(1, ordering: .relaxed)
        return try await next(request)
    }
}

/// The routes most tests talk to.
enum TestRoutes {
    struct PlainFailure: Error {}

    static func register(_ router: Router) {
        router.get("/hello") { _ in .text("hello") }
        // The same answer from a fixed route, which the server writes without a request or queue slot.
        router.fixed(.get, "/hello-fixed", .text("hello"))
        router.post("/echo", bodyLimit: 64 * 1024) { request in
            var response = HTTPResponse(status: .ok, body: .bytes(request.body))
            response.headers["Content-Type"] = "application/octet-stream"
            return response
        }
        router.post("/small", bodyLimit: 1024) { _ in .text("accepted") }
        router.get("/slow") { _ in
            try await Task.sleep(for: .milliseconds(300))
            return .text("slow")
        }
        router.get("/fast") { _ in .text("fast") }
        router.post("/append") { request in .text("appended \(request.body.count)") }
        router.get("/context") { request in
            let context = request.context
            let fields = [context.requestID, context.peerAddress, context.clientAddress, context.logger.requestID ?? ""]
            return .text(fields.joined(separator: " "))
        }
        router.get("/fail") { _ in throw PlainFailure() }
        router.get("/conflict") { _ in throw HTTPError.conflict("Taken.", code: "slug_taken") }
        router.get("/stream") { _ in
            HTTPResponse(status: .ok, body: .stream(AsyncThrowingStream { continuation in
                for part in ["one ", "two ", "three"] { continuation.yield(Array(part.utf8)) }
                continuation.finish()
            }))
        }
        router.get("/broken-stream") { _ in
            HTTPResponse(status: .ok, body: .stream(AsyncThrowingStream { continuation in
                continuation.yield(Array("partial".utf8))
                continuation.finish(throwing: PlainFailure())
            }))
        }
        var response = HTTPResponse.text("bye")
        response.headers["Connection"] = "close"
        let bye = response
        router.get("/close") { _ in bye }
        router.fixed(.get, "/close-fixed", bye)
    }
}

/// Holds handlers until the test lets them go, counting how many are held.
final class Gate: Sendable {
    private struct State {
        var waiting = 0
        var open = false
        var held: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Handlers waiting at the gate now.
    var waiting: Int { state.withLock { $0.waiting } }

    func pass() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open {
                    state.waiting += 1
                    state.held.append(continuation)
                }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let held = state.withLock { state in
            state.open = true
            state.waiting = 0
            defer { state.held = [] }
            return state.held
        }
        for continuation in held { continuation.resume() }
    }
}

/// Polls `condition` for up to ten seconds: generous, since `make test` runs
/// these suites side by side on two cores, and a passing test returns at once.
func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition(), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(5))
    }
    #expect(condition())
}
