import Foundation
import MusterHTTP
import Testing

/// The real `curl` binary as the client: an independent HTTP/1.1 implementation.
@Suite struct CurlTests {
    static func curl(_ arguments: [String]) async throws -> ExternalTool.Outcome {
        try await ExternalTool.run("/usr/bin/curl", ["-sS", "--max-time", "5"] + arguments)
    }

    static func routes(_ router: Router) {
        TestRoutes.register(router)
        router.post("/upload", bodyLimit: 4 << 20) { request in
            HTTPResponse(status: .ok, body: .bytes(request.body))
        }
    }

    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("muster-http-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }

    @Test func getAndKeepAliveAcrossURLs() async throws {
        try await TestServer.run(routes: Self.routes) { server in
            let base = "http://127.0.0.1:\(server.localPort)"
            let outcome = try await Self.curl(["\(base)/hello", "\(base)/fast", "\(base)/hello"])
            #expect(outcome.exitCode == 0)
            #expect(outcome.text == "hellofasthello")
            #expect(server.statistics.acceptedConnections == 1)
        }
    }

    @Test func chunkedUploadIsEchoedExactly() async throws {
        try await TestServer.run(routes: Self.routes) { server in
            let payload = Self.randomBytes(300_000)
            let file = try Self.temporaryFile(payload)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let outcome = try await Self.curl(["--data-binary", "@\(file)", "-H", "Transfer-Encoding: chunked",
                                               "http://127.0.0.1:\(server.localPort)/upload"])
            #expect(outcome.exitCode == 0)
            #expect(outcome.output == payload)
        }
    }

    @Test func expectContinueUploadDoesNotStall() async throws {
        try await TestServer.run(routes: Self.routes) { server in
            let payload = Self.randomBytes(100_000)
            let file = try Self.temporaryFile(payload)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let start = ContinuousClock.now
            // Told to wait 30 s for `100 Continue` before sending anyway, curl finishes
            // quickly only if the server answered 100 at once.
            let outcome = try await Self.curl(["--data-binary", "@\(file)", "-H", "Expect: 100-continue", "--expect100-timeout", "30",
                                               "http://127.0.0.1:\(server.localPort)/upload"])
            #expect(outcome.output == payload)
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test func oversizedUploadGets413() async throws {
        try await TestServer.run(routes: Self.routes) { server in
            let file = try Self.temporaryFile(Self.randomBytes(5000))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let outcome = try await Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@\(file)",
                                               "http://127.0.0.1:\(server.localPort)/small"])
            #expect(outcome.text == "413")
        }
    }

    @Test func streamedBodyOverHTTP11AndHTTP10() async throws {
        try await TestServer.run(routes: Self.routes) { server in
            let url = "http://127.0.0.1:\(server.localPort)/stream"
            let http11 = try await Self.curl([url])
            let http10 = try await Self.curl(["--http1.0", url])
            #expect(http11.text == "one two three")
            #expect(http10.text == "one two three")
        }
    }

    @Test func aFailedStreamIsReportedAsIncomplete() async throws {
        try await TestServer.run(routes: Self.routes) { server in
            let outcome = try await Self.curl(["http://127.0.0.1:\(server.localPort)/broken-stream"])
            #expect(outcome.exitCode != 0)
        }
    }
}
