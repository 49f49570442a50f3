import Foundation
import MusterCrypto

/// Runs an independent implementation (python3 with `cryptography`/`pyjwt`/`pyotp`,
/// `oathtool`, `openssl`) and returns what it prints, so tests compare against
/// code that shares nothing with ours.
enum Oracle {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Debian's interpreter, where `python3-jwt`, `python3-cryptography` and
    /// `python3-pyotp` are installed (a pyenv `python3` on PATH may lack them).
    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    /// Runs `script` with `arguments` in `sys.argv[1:]`; returns stdout, trimmed.
    static func python(_ script: String, _ arguments: String...) throws -> String {
        try run(python, ["-c", script] + arguments)
    }

    /// Runs `executable` (a path, or a name looked up on PATH); throws unless it exits 0.
    static func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) exited \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

func hex(_ text: String) -> [UInt8] { try! Hex.decode(text.filter { !$0.isWhitespace }) }
