import Foundation
import MusterTestSupport
import Testing

/// HTTPS at the Gateway: TLS 1.2 and 1.3 with forward-secret AEAD suites,
/// TLS 1.0/1.1 and non-AEAD suites refused, the certificate served, HSTS, and
/// plain HTTP redirected — checked with the real `openssl s_client` and curl.
@Suite struct TLSTests {
    struct Setup {
        let gateway: ServiceProcess
        let upstream: StandInService
        let folder: URL
        let tlsPort: Int
        var certificate: String { folder.appendingPathComponent("cert.pem").path }
    }

    static func withTLSGateway(_ body: (Setup) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-gw-tls-\(TestEnvironment.uniqueSuffix())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try Command.run("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=muster-gateway.test", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", folder.appendingPathComponent("key.pem").path, "-out", folder.appendingPathComponent("cert.pem").path,
        ])
        #expect(made.status == 0)
        let upstream = try StandInService()
        let tlsPort = TestEnvironment.freePort()
        let gateway = try await ServiceProcess.gateway(upstream: upstream.url, extra: [
            "MUSTER_TLS_CERT": folder.appendingPathComponent("cert.pem").path,
            "MUSTER_TLS_KEY": folder.appendingPathComponent("key.pem").path,
            "MUSTER_GATEWAY_TLS_PORT": String(tlsPort), "MUSTER_RATE_LIMITS": "off",
        ])
        defer { gateway.stop(); gateway.removeLog() }
        try await body(Setup(gateway: gateway, upstream: upstream, folder: folder, tlsPort: tlsPort))
        await upstream.stop()
    }

    static func handshake(_ port: Int, _ options: [String]) throws -> String {
        let result = try Command.run("openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"] + options, input: "")
        return result.stdout + result.stderr
    }

    @Test func negotiatesModernTLSAndRefusesTheRest() async throws {
        try await Self.withTLSGateway { setup in
            for (option, name) in [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")] {
                let text = try Self.handshake(setup.tlsPort, ["-brief", option])
                #expect(text.contains("Protocol version: \(name)"), "\(text)")
                let suite = text.split(separator: "\n").first { $0.contains("Ciphersuite") } ?? ""
                #expect(suite.contains("GCM") || suite.contains("CHACHA20"))
                #expect(text.contains("muster-gateway.test"), "the configured certificate is served")
            }
            for option in ["-tls1", "-tls1_1"] {
                // SECLEVEL=0 lets the client offer the old protocol, so the refusal is the server's.
                let text = try Self.handshake(setup.tlsPort, ["-brief", option, "-cipher", "DEFAULT@SECLEVEL=0"])
                #expect(!text.contains("Protocol version"), "\(option) is refused")
            }
            for cipher in ["AES128-SHA256", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA"] {
                let text = try Self.handshake(setup.tlsPort, ["-brief", "-tls1_2", "-cipher", cipher])
                #expect(!text.contains("Protocol version"), "\(cipher) (not forward-secret AEAD) is refused")
            }
        }
    }

    @Test func curlGetsHSTSOverTLSAndPlainHTTPIsRedirected() async throws {
        try await Self.withTLSGateway { setup in
            for version in [["--tlsv1.2", "--tls-max", "1.2"], ["--tlsv1.3"]] {
                let response = try Curl.request("GET", "https://localhost:\(setup.tlsPort)/api/v1/auth/echo",
                                                extra: ["--cacert", setup.certificate] + version)
                #expect(response.status == 200)
                #expect(response.headers["strict-transport-security"]?.hasPrefix("max-age=") == true)
                #expect((response.json as? [String: String])?["x-forwarded-proto"] == "https")
            }
            let plain = try Curl.request("GET", setup.gateway.url + "/api/v1/auth/echo?x=1", headers: ["Host": "localhost:\(setup.gateway.port)"])
            #expect(plain.status == 308)
            #expect(plain.headers["location"] == "https://localhost:\(setup.tlsPort)/api/v1/auth/echo?x=1")
            #expect(try Curl.request("GET", setup.gateway.url + "/healthz").status == 200, "probes stay on plain HTTP")
            let spoofedHost = try Curl.request("GET", setup.gateway.url + "/", headers: ["Host": "evil.test/x?"])
            #expect(spoofedHost.headers["location"]?.hasPrefix("https://localhost:") == true)
        }
    }
}
