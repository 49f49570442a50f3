import Foundation
import Synchronization

/// Where the test run's resources are: the throwaway PostgreSQL that `make test`
/// starts, the package root, the built binaries.
public enum TestEnvironment {
    /// Superuser URL of the test cluster (`MUSTER_TEST_DATABASE_URL`).
    public static var databaseURL: String {
        guard let url = ProcessInfo.processInfo.environment["MUSTER_TEST_DATABASE_URL"], !url.isEmpty else {
            fatalError("MUSTER_TEST_DATABASE_URL is not set: run the tests with `make test`")
        }
        return url
    }

    /// A PgBouncer in front of the test cluster (`MUSTER_TEST_POOLER_PORT`, set by
    /// `deploy/postgres/pgbouncer-test.sh`): platforms' services connect through it.
    public static var poolerPort: Int? {
        ProcessInfo.processInfo.environment["MUSTER_TEST_POOLER_PORT"].flatMap { Int($0) }
    }

    /// The package root (found from this source file's location).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The folder holding the built executables of this build configuration.
    public static var binaries: URL {
        let bundle = Bundle.main.bundleURL
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("records").path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    /// A TCP port that was free a moment ago, for a service process to bind.
    ///
    /// Taken below the kernel's ephemeral range (`ip_local_port_range`), never from it:
    /// a port the kernel picked for `bind(0)` is also one it may give an outgoing
    /// connection between this pick and the service's own bind. A counter keeps the
    /// tests of one process apart, a random start separate processes.
    public static func freePort() -> Int {
        while true {
            let candidate = portBase + nextPort.wrappingAdd(1, ordering: .relaxed).oldValue % portSpan
            if canBind(candidate) { return candidate }
        }
    }

    private static let ephemeralStart: Int = {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return range.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32768
    }()
    private static let portSpan = max(1000, min(12_000, ephemeralStart - 10_000))
    private static let portBase = ephemeralStart - portSpan
    private static let nextPort = Atomic<Int>(Int.random(in: 0..<12_000))

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0
    }

    /// A short random lower-case suffix for database, role and schema names.
    public static func uniqueSuffix() -> String {
        String((0..<10).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }
}
