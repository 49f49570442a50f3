import Foundation
import Synchronization

/// A whole Muster platform for one test suite: its own databases and roles in the
/// test cluster (prepared by the real `deploy/postgres/prepare-cluster.sh`), its own
/// service keys, the five real service binaries on free ports.
///
/// ```swift
/// let platform = try await Platform.start()
/// defer { platform.stop() }
/// let response = try Curl.request("GET", platform.url(.gateway) + "/healthz")
/// ```
public final class Platform: Sendable {
    public enum Service: String, CaseIterable, Sendable {
        case identity, records, audit, notify, gateway
    }

    /// One running process: a service, and which of its replicas (0 unless a test starts several).
    private struct Instance: Hashable {
        let service: Service
        let replica: Int
    }

    public let suffix: String
    public let environment: [String: String]
    private let processes = Mutex<[Instance: Process]>([:])
    private let logFolder: URL

    private init(suffix: String, environment: [String: String], logFolder: URL) {
        self.suffix = suffix
        self.environment = environment
        self.logFolder = logFolder
    }

    /// Prepares databases and keys, starts `services` and waits until each is ready.
    /// `probe` is the path that must answer `200` (`/healthz` when a test breaks a peer on purpose).
    public static func start(_ services: [Service] = Service.allCases, extraEnvironment: [String: String] = [:],
                             probe: String = "/readyz") async throws -> Platform {
        let suffix = "_t" + TestEnvironment.uniqueSuffix()
        let root = TestEnvironment.packageRoot
        let secrets = try Command.run(root.appendingPathComponent("deploy/dev/secrets.sh").path, [])
        guard secrets.status == 0 else { throw CommandFailure(command: "secrets.sh", result: secrets) }
        var environment = ProcessInfo.processInfo.environment
        for line in secrets.stdout.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        environment["MUSTER_DB_NAME_SUFFIX"] = suffix
        let prepared = try Command.run(root.appendingPathComponent("deploy/postgres/prepare-cluster.sh").path,
                                       [TestEnvironment.databaseURL], environment: environment)
        guard prepared.status == 0 else { throw CommandFailure(command: "prepare-cluster.sh", result: prepared) }

        let admin = URLComponents(string: TestEnvironment.databaseURL)!
        // The services connect through the pooler when the run has one; setup and checks go direct.
        let host = admin.host ?? "127.0.0.1", port = TestEnvironment.poolerPort ?? admin.port ?? 5432
        for service in Service.allCases {
            let upper = service.rawValue.uppercased()
            let servicePort = TestEnvironment.freePort()
            environment["MUSTER_\(upper)_PORT"] = String(servicePort)
            environment["MUSTER_\(upper)_HOST"] = "127.0.0.1"
            environment["MUSTER_\(upper)_URL"] = "http://127.0.0.1:\(servicePort)"
            if service == .gateway { environment["MUSTER_GATEWAY_ADMIN_PORT"] = String(TestEnvironment.freePort()) }
            if service != .gateway {
                let password = environment["MUSTER_\(upper)_DB_PASSWORD"]!
                let name = "muster_\(service.rawValue)\(suffix)"
                environment["MUSTER_\(upper)_DATABASE_URL"] = "postgresql://\(name):\(password)@\(host):\(port)/\(name)"
            }
        }
        let logFolder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-test\(suffix)")
        try FileManager.default.createDirectory(at: logFolder, withIntermediateDirectories: true)
        environment["MUSTER_MAIL_DIR"] = logFolder.appendingPathComponent("mail").path
        environment["MUSTER_SHUTDOWN_GRACE_MS"] = "5000"
        environment["MUSTER_HTTP_EVENT_LOOPS"] = "1"
        environment["MUSTER_DB_POOL_SIZE"] = "4"
        environment["MUSTER_LOG_LEVEL"] = "debug"
        environment.merge(extraEnvironment) { $1 }

        let platform = Platform(suffix: suffix, environment: environment, logFolder: logFolder)
        do {
            for service in services { try platform.launch(service) }
            for service in services { try await platform.waitUntilReady(service, probe: probe) }
        } catch {
            // A platform that failed to start must not leave processes or databases behind.
            let logs = services.map { "--- \($0.rawValue)\n" + platform.log($0).suffix(2000) }.joined(separator: "\n")
            platform.stop()
            throw PlatformError.startFailed(underlying: "\(error)", logs: logs)
        }
        return platform
    }

    public func url(_ service: Service) -> String { environment["MUSTER_\(service.rawValue.uppercased())_URL"]! }

    /// Where `/readyz` and `/metrics` are served: the Gateway's admin listener, any other service's own port.
    public func operationsURL(_ service: Service) -> String {
        service == .gateway ? "http://127.0.0.1:\(environment["MUSTER_GATEWAY_ADMIN_PORT"]!)" : url(service)
    }

    /// The service's database name in the test cluster.
    public func databaseName(_ service: Service) -> String { "muster_\(service.rawValue)\(suffix)" }

    /// Starts one service binary with the platform's environment. A further `replica`
    /// needs `environment` overrides of its own (at least its port).
    public func launch(_ service: Service, replica: Int = 0, arguments: [String] = ["serve"],
                       environment overrides: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = TestEnvironment.binaries.appendingPathComponent(service.rawValue)
        process.arguments = arguments
        process.environment = environment.merging(overrides) { $1 }
        let log = logFile(service, replica: replica)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.withLock { $0[Instance(service: service, replica: replica)] = process }
    }

    /// Runs a service subcommand (e.g. `migrate`) to completion.
    public func runCommand(_ service: Service, _ arguments: [String], input: String? = nil) throws -> CommandResult {
        try Command.run(TestEnvironment.binaries.appendingPathComponent(service.rawValue).path, arguments,
                        input: input, environment: environment)
    }

    public func process(_ service: Service, replica: Int = 0) -> Process? {
        processes.withLock { $0[Instance(service: service, replica: replica)] }
    }

    /// The bound is for a loaded CI machine (a dozen processes starting while others compile): a healthy
    /// start takes seconds, and one that exits is reported at once, so waiting longer costs nothing.
    public func waitUntilReady(_ service: Service, probe: String = "/readyz", timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let base = probe == "/healthz" ? url(service) : operationsURL(service)
            if let response = try? Curl.request("GET", base + probe, extra: ["--max-time", "2"]), response.status == 200 {
                return
            }
            if let process = process(service), !process.isRunning {
                throw PlatformError.exited(service: service.rawValue, status: process.terminationStatus, log: log(service))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PlatformError.notReady(service: service.rawValue, log: log(service))
    }

    /// Sends `signal` to a service and waits for it to exit; returns its exit status.
    @discardableResult
    public func terminate(_ service: Service, replica: Int = 0, signal: Int32 = SIGTERM) -> Int32 {
        guard let process = processes.withLock({ $0.removeValue(forKey: Instance(service: service, replica: replica)) }) else {
            return 0
        }
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The service's log so far (JSON lines).
    public func log(_ service: Service, replica: Int = 0) -> String {
        (try? String(contentsOf: logFile(service, replica: replica), encoding: .utf8)) ?? ""
    }

    private func logFile(_ service: Service, replica: Int) -> URL {
        logFolder.appendingPathComponent(replica == 0 ? "\(service.rawValue).log" : "\(service.rawValue)-\(replica).log")
    }

    /// Stops every service and drops the platform's databases and roles.
    public func stop() {
        for instance in processes.withLock({ Array($0.keys) }) { terminate(instance.service, replica: instance.replica) }
        for service in Service.allCases where service != .gateway {
            let name = databaseName(service)
            _ = try? Command.psql("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
            _ = try? Command.psql("DROP ROLE IF EXISTS \"\(name)\"")
        }
        try? FileManager.default.removeItem(at: logFolder)
    }
}

public enum PlatformError: Error, CustomStringConvertible {
    case exited(service: String, status: Int32, log: String)
    case notReady(service: String, log: String)
    case startFailed(underlying: String, logs: String)

    public var description: String {
        switch self {
        case .exited(let service, let status, let log): "\(service) exited with \(status):\n\(log.suffix(4000))"
        case .notReady(let service, let log): "\(service) did not become ready:\n\(log.suffix(4000))"
        case .startFailed(let underlying, let logs): "platform failed to start: \(underlying)\n\(logs)"
        }
    }
}
