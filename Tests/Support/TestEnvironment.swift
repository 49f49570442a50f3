import Foundation

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

    /// A TCP port that was free a moment ago.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A short random lower-case suffix for database, role and schema names.
    public static func uniqueSuffix() -> String {
        String((0..<10).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }
}
