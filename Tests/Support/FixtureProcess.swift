import Foundation

/// Helpers for the fixture servers tests start as child processes (Python peers,
/// SMTP servers): reading their announcement line and stopping them.
public enum FixtureProcess {
    public struct ExitedEarly: Error, CustomStringConvertible {
        public var description: String { "the fixture process exited before it announced itself" }
    }

    /// The first line the process writes, read on a thread of its own so that
    /// waiting for Python never holds a cooperative thread.
    public static func firstLine(of handle: FileHandle) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var buffer: [UInt8] = []
                while true {
                    let chunk = handle.availableData
                    guard !chunk.isEmpty else { return continuation.resume(throwing: ExitedEarly()) }
                    buffer += chunk
                    if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        return continuation.resume(returning: String(decoding: buffer[..<newline], as: UTF8.self))
                    }
                }
            }
        }
    }

    /// SIGKILL, because a child spawned from a dispatch thread inherits its blocked SIGTERM;
    /// reaped on a thread of its own so that no cooperative thread waits.
    public static func stop(_ process: Process) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }
}
