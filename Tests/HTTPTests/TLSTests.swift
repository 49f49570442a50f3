import Foundation
import MusterHTTP
import MusterHTTPServer
import Testing

/// HTTPS: TLS 1.2 and 1.3 with AEAD suites negotiate; older protocols and
/// non-AEAD suites are refused. Checked with the real `openssl` and `curl`.
@Suite struct TLSTests {
    /// A throwaway P-256 certificate for 127.0.0.1 and localhost.
    struct Certificate {
        let directory: URL
        var chain: String { directory.appendingPathComponent("cert.pem").path }
        var key: String { directory.appendingPathComponent("key.pem").path }

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("muster-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let result = try await ExternalTool.run("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", directory.appendingPathComponent("key.pem").path,
                "-out", directory.appendingPathComponent("cert.pem").path,
            ])
            #expect(result.exitCode == 0)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static func withTLSServer(_ body: (HTTPServer, Certificate) async throws -> Void) async throws {
        let certificate = try await Certificate()
        defer { certificate.remove() }
        try await TestServer.run(configure: {
            $0.tls = TLSConfiguration(certificateChainFile: certificate.chain, privateKeyFile: certificate.key)
        }) { server in
            try await body(server, certificate)
        }
    }

    static func handshake(port: Int, _ options: [String]) async throws -> ExternalTool.Outcome {
        try await ExternalTool.run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)"] + options, includingErrors: true)
    }

    static func curl(_ certificate: Certificate, _ arguments: [String]) async throws -> ExternalTool.Outcome {
        try await ExternalTool.run("/usr/bin/curl", ["-sS", "--max-time", "5", "--cacert", certificate.chain] + arguments)
    }

    @Test func curlGetsResponsesOverOneVerifiedConnection() async throws {
        try await Self.withTLSServer { server, certificate in
            let base = "https://localhost:\(server.localPort)"
            let outcome = try await Self.curl(certificate, ["\(base)/hello", "\(base)/stream"])
            #expect(outcome.exitCode == 0)
            #expect(outcome.text == "helloone two three")
            #expect(server.statistics.acceptedConnections == 1)
        }
    }

    @Test func curlUploadsAChunkedBody() async throws {
        try await Self.withTLSServer { server, certificate in
            let body = String(repeating: "tls body ", count: 2000)
            let outcome = try await Self.curl(certificate, ["-H", "Transfer-Encoding: chunked", "--data-binary", body,
                                                            "https://localhost:\(server.localPort)/echo"])
            #expect(outcome.text == body)
        }
    }

    @Test(arguments: [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")])
    func modernProtocolsNegotiateWithAnAEADSuite(_ option: String, _ protocolName: String) async throws {
        try await Self.withTLSServer { server, _ in
            let outcome = try await Self.handshake(port: server.localPort, ["-brief", option])
            #expect(outcome.text.contains("Protocol version: \(protocolName)"))
            let suite = outcome.text.split(separator: "\n").first { $0.hasPrefix("Ciphersuite:") } ?? ""
            #expect(suite.contains("GCM") || suite.contains("CHACHA20"))
        }
    }

    @Test(arguments: ["-tls1", "-tls1_1"])
    func oldProtocolsAreRefusedByTheServer(_ option: String) async throws {
        try await Self.withTLSServer { server, _ in
            // SECLEVEL=0 lets the client offer the old protocol, so the refusal is the server's.
            let outcome = try await Self.handshake(port: server.localPort, [option, "-cipher", "DEFAULT@SECLEVEL=0"])
            #expect(outcome.exitCode != 0)
            #expect(outcome.text.contains("alert protocol version"))
        }
    }

    @Test func nonAEADSuitesAreRefused() async throws {
        try await Self.withTLSServer { server, _ in
            let outcome = try await Self.handshake(port: server.localPort, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"])
            #expect(outcome.exitCode != 0)
            #expect(outcome.text.contains("handshake failure"))
        }
    }

    @Test func plainHTTPOnTheTLSPortGetsNoResponse() async throws {
        try await Self.withTLSServer { server, _ in
            let client = try RawClient(port: server.localPort)
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let received = try await client.readToEnd()
            #expect(!String(decoding: received, as: UTF8.self).contains("HTTP/1.1"))
        }
    }

    @Test func missingKeyFileFailsTheStart() throws {
        var configuration = TestServer.configuration()
        configuration.tls = TLSConfiguration(certificateChainFile: "/nonexistent/chain.pem", privateKeyFile: "/nonexistent/key.pem")
        let server = HTTPServer(configuration: configuration, responder: ClosureResponder { _ in .text("") },
                                logger: .init(service: "http-tests"))
        #expect(throws: HTTPServerError.self) { try server.start() }
    }
}
