import Foundation
import MusterCore
import MusterDatabase
import Testing

/// Restarts a PostgreSQL cluster of its own (on a free port), so that the
/// restart cannot disturb any other test running at the same time.
@Suite(requiresDatabase, .serialized) struct PoolRestartTests {
    @Test func thePoolRecoversByItselfAfterPostgreSQLRestarts() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.remove() }
        let pool = try DatabasePool(configuration: .init(url: cluster.url, maxConnections: 3), logger: TestDatabase.logger)
        let before = try await pool.query("SELECT pg_postmaster_start_time() AS started")[0].decode("started", as: Date.self)
        // Fill the pool with idle connections that the restart will break.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = try await pool.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        try cluster.run("restart")
        for _ in 0..<3 {
            let after = try await pool.query("SELECT pg_postmaster_start_time() AS started")[0].decode("started", as: Date.self)
            #expect(after > before)
        }
        #expect(pool.statistics.totalOpened >= 4)
        await pool.shutdown()
    }
}

/// A throwaway cluster started with `deploy/dev/postgres.sh`.
struct PrivateCluster {
    let directory: URL
    let port: Int
    private let script: URL

    init() throws {
        script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/dev/postgres.sh")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("muster-pg-\(UUID().uuidString)")
        port = try PrivateCluster.freePort()
        try run("start", String(port), "trust")
    }

    var url: String { "postgresql://postgres@127.0.0.1:\(port)/postgres" }

    /// Runs the script on a thread of its own and waits with `waitpid`:
    /// `Process.waitUntilExit` can miss the exit when PostgreSQL's children
    /// outlive the script.
    func run(_ command: String, _ arguments: String...) throws {
        let argv = [script.path, command, directory.path] + arguments
        var pid: pid_t = 0
        let spawned = withCStringArray(argv) { posix_spawn(&pid, script.path, nil, nil, $0, environ) }
        guard spawned == 0 else { throw PoolError.invalidConfiguration(reason: "cannot run postgres.sh (\(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw PoolError.invalidConfiguration(reason: "postgres.sh \(command) exited with status \(status)")
        }
    }

    func remove() {
        try? run("stop")
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port the kernel just handed out for an ephemeral bind.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_LOOPBACK.bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw PoolError.invalidConfiguration(reason: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) } + [nil]
    defer { copies.forEach { free($0) } }
    return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
}
