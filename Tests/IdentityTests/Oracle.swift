import Foundation
import MusterTestSupport

/// Independent implementations (Debian's python3 with pyjwt/cryptography/pyotp,
/// `oathtool`) that share no code with Muster, as test oracles.
enum Oracle {
    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    /// Runs `script` with `arguments` in `sys.argv[1:]`; returns stdout, trimmed; throws unless it exits 0.
    static func python(_ script: String, _ arguments: String...) throws -> String {
        let result = try Command.run(python, ["-c", script] + arguments)
        guard result.status == 0 else { throw OracleFailure(description: "python3 exited \(result.status): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct OracleFailure: Error, CustomStringConvertible {
    let description: String
}
