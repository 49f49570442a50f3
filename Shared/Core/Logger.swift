import Foundation
import MusterTime
import Synchronization

/// Structured JSON logs, one object per line on stdout.
///
/// Every line carries `time`, `level`, `service` and `message`, plus the
/// logger's context (`request_id`, `agency` once known) and the call's fields.
/// Never pass a secret, password, token or TOTP seed as a field.
///
/// ```swift
/// var log = Logger(service: "records")
/// log.requestID = request.id
/// log.info("roster imported", ["rows": "42"])
/// ```
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error
        public var name: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = level
        }
    }

    public let service: String
    public var minimumLevel: Level
    /// The request being served, logged as `request_id`. A field of its own, as is
    /// `agency`: set per request, they cost no allocation.
    public var requestID: String?
    /// The agency the request acts for, when known; formatted only when a line is written.
    public var agency: AgencyID?

    public init(service: String, minimumLevel: Level = LogSink.defaultLevel) {
        self.service = service
        self.minimumLevel = minimumLevel
    }

    public func debug(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.debug, message(), fields)
    }
    public func info(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.info, message(), fields)
    }
    public func warning(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.warning, message(), fields)
    }
    public func error(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        log(.error, message(), fields)
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String, _ fields: [String: String] = [:]) {
        guard level >= minimumLevel else { return }
        var line = "{\"time\":"
        line.reserveCapacity(256)
        JSONText.appendQuoted(Timestamp.rfc3339(Date()), to: &line)
        line += ",\"level\":\"\(level.name)\",\"service\":"
        JSONText.appendQuoted(service, to: &line)
        if let requestID { Self.append("request_id", requestID, to: &line) }
        if let agency { Self.append("agency", agency.description, to: &line) }
        line += ",\"message\":"
        JSONText.appendQuoted(message(), to: &line)
        for key in fields.keys.sorted() { Self.append(key, fields[key]!, to: &line) }
        line += "}\n"
        LogSink.write(line)
    }

    private static func append(_ key: String, _ value: String, to line: inout String) {
        line += ","
        JSONText.appendQuoted(key, to: &line)
        line += ":"
        JSONText.appendQuoted(value, to: &line)
    }
}

/// Where log lines go: stdout, one `write(2)` per line so that lines from
/// several threads never interleave.
public enum LogSink {
    public static let defaultLevel: Level = Logger.Level(name: ProcessInfo.processInfo.environment["MUSTER_LOG_LEVEL"] ?? "") ?? .info
    public typealias Level = Logger.Level

    private static let lock = Mutex(())

    public static func write(_ line: String) {
        lock.withLock { _ in
            line.withUTF8Bytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }
}
