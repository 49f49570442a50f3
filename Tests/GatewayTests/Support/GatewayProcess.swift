import Foundation
import MusterTestSupport

/// A real `gateway` process (or any service binary) for one test, on free ports,
/// with its own service keys; its log is kept for assertions.
final class ServiceProcess: Sendable {
    let name: String
    let port: Int
    let environment: [String: String]
    private let process: Process
    private let logFile: URL

    var url: String { "http://127.0.0.1:\(port)" }
    /// A gateway's internal listener (`/readyz`, `/metrics`).
    var adminURL: String { "http://127.0.0.1:\(environment["MUSTER_GATEWAY_ADMIN_PORT"] ?? "9080")" }

    /// Starts `binary` with `environment` and waits until `probe` answers 200.
    init(_ binary: String, port: Int, environment: [String: String], probe: String = "/healthz") async throws {
        name = binary
        self.port = port
        self.environment = environment
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("muster-\(binary)-\(TestEnvironment.uniqueSuffix()).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process = Process()
        process.executableURL = TestEnvironment.binaries.appendingPathComponent(binary)
        process.arguments = ["serve"]
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let response = try? Curl.request("GET", "http://127.0.0.1:\(port)\(probe)", extra: ["--max-time", "2"]),
               response.status == 200 { return }
            guard process.isRunning else { throw PlatformError.exited(service: binary, status: process.terminationStatus, log: log) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PlatformError.notReady(service: binary, log: log)
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the process to end.
    func stop(signal: Int32 = SIGTERM) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    func removeLog() { try? FileManager.default.removeItem(at: logFile) }

    /// The environment a gateway needs: service keys (`base`'s, or fresh ones), every
    /// service at `upstream`, quick health checks.
    static func gatewayEnvironment(upstream: String, base: [String: String]? = nil,
                                   extra: [String: String] = [:]) throws -> (environment: [String: String], port: Int) {
        var environment = base ?? ProcessInfo.processInfo.environment
        if base == nil {
            let secrets = try Command.run(TestEnvironment.packageRoot.appendingPathComponent("deploy/dev/secrets.sh").path, [])
            for line in secrets.stdout.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
                    .trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            }
        }
        let port = TestEnvironment.freePort()
        environment["MUSTER_GATEWAY_PORT"] = String(port)
        environment["MUSTER_GATEWAY_HOST"] = "127.0.0.1"
        environment["MUSTER_GATEWAY_ADMIN_PORT"] = String(TestEnvironment.freePort())
        for service in ["IDENTITY", "RECORDS", "AUDIT", "NOTIFY"] { environment["MUSTER_\(service)_URL"] = upstream }
        environment["MUSTER_GATEWAY_HEALTH_INTERVAL_MS"] = "300"
        environment["MUSTER_HTTP_EVENT_LOOPS"] = "2"
        environment["MUSTER_LOG_LEVEL"] = "debug"
        environment["MUSTER_SHUTDOWN_GRACE_MS"] = "2000"
        environment.merge(extra) { $1 }
        return (environment, port)
    }

    /// A gateway in front of `upstream`.
    static func gateway(upstream: String, base: [String: String]? = nil, extra: [String: String] = [:]) async throws -> ServiceProcess {
        let (environment, port) = try gatewayEnvironment(upstream: upstream, base: base, extra: extra)
        return try await ServiceProcess("gateway", port: port, environment: environment)
    }
}

/// Sends raw bytes over TCP (what curl refuses to send) and returns what came back.
enum RawHTTP {
    static func exchange(port: Int, _ request: String) throws -> String {
        let script = """
        import socket, sys
        s = socket.create_connection(("127.0.0.1", \(port)), timeout=5)
        s.sendall(sys.stdin.buffer.read())
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
                if b"\\r\\n\\r\\n" in data and (b"Connection: close" in data or len(data) > 200000): break
        except socket.timeout:
            pass
        sys.stdout.write(data.decode("latin-1"))
        """
        return try Command.run("python3", ["-c", script], input: request).stdout
    }
}
