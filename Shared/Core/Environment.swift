import Foundation

/// Typed access to configuration from environment variables.
///
/// Every variable read through here is documented in README.md's configuration
/// table; an unparsable value stops the start with a clear message rather than
/// silently falling back to a default.
///
/// ```swift
/// let env = Environment()
/// let port = try env.int("MUSTER_RECORDS_PORT", default: 8082)
/// ```
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func string(_ name: String, default fallback: String) -> String {
        self[name] ?? fallback
    }

    public func int(_ name: String, default fallback: Int) throws -> Int {
        guard let text = self[name] else { return fallback }
        guard let value = Int(text) else { throw ConfigurationError(variable: name, problem: "expected an integer, got \(text.debugDescription)") }
        return value
    }

    public func double(_ name: String, default fallback: Double) throws -> Double {
        guard let text = self[name] else { return fallback }
        guard let value = Double(text) else { throw ConfigurationError(variable: name, problem: "expected a number, got \(text.debugDescription)") }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = self[name]?.lowercased() else { return fallback }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, problem: "expected on/off, got \(text.debugDescription)")
        }
    }

    /// A comma-separated list, blanks dropped.
    public func list(_ name: String) -> [String] {
        (self[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let problem: String
    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }
    public var description: String { "configuration \(variable): \(problem)" }
}
