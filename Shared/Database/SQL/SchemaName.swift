import MusterCore

/// The name of a PostgreSQL schema that Muster code may put into SQL text.
///
/// There are only two kinds, and both are built here, validated: the shared
/// `platform` schema and one schema per agency, named from the agency's
/// immutable id (never from a slug or any other input). Interpolating a
/// `SchemaName` into ``SQL`` writes it as a quoted identifier; no other
/// unbound text can get into a statement.
///
/// ```swift
/// let schema = SchemaName.agency(agencyID)        // agency_9f0c2b1e3a4d4e5f8a6b7c8d9e0f1a2b
/// try await pool.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
/// ```
public struct SchemaName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The bare name, e.g. `agency_9f0c…` or `platform`.
    public let rawValue: String

    private init(validated rawValue: String) {
        self.rawValue = rawValue
    }

    /// The schema shared by all agencies: registry, bookkeeping, queues.
    public static let platform = SchemaName(validated: "platform")

    /// The schema that holds one agency's data: `agency_<32 hex>`.
    public static func agency(_ id: AgencyID) -> SchemaName {
        // Hex straight from the 16 bytes: this runs for every scoped transaction,
        // and formatting the UUID as text first costs microseconds.
        let digits = Array("0123456789abcdef".utf8)
        var name = Array(agencyPrefix.utf8)
        name.reserveCapacity(name.count + 32)
        withUnsafeBytes(of: id.uuid.uuid) { bytes in
            for byte in bytes {
                name.append(digits[Int(byte >> 4)])
                name.append(digits[Int(byte & 0x0f)])
            }
        }
        return SchemaName(validated: String(decoding: name, as: UTF8.self))
    }

    /// Accepts exactly the names the two factories build (e.g. read back from
    /// the catalog); anything else is `nil`.
    public init?(_ text: String) {
        if text == SchemaName.platform.rawValue {
            self = .platform
        } else if let id = SchemaName.agencyID(in: text) {
            self = .agency(id)
        } else {
            return nil
        }
    }

    /// The agency this schema belongs to; `nil` for `platform`.
    public var agencyID: AgencyID? { SchemaName.agencyID(in: rawValue) }

    /// The name as a quoted SQL identifier: `"agency_…"`.
    public var quoted: String { "\"\(rawValue)\"" }

    public var description: String { rawValue }

    public static func < (lhs: SchemaName, rhs: SchemaName) -> Bool { lhs.rawValue < rhs.rawValue }

    private static let agencyPrefix = "agency_"

    private static func agencyID(in text: String) -> AgencyID? {
        guard text.hasPrefix(agencyPrefix) else { return nil }
        let hex = text.utf8.dropFirst(agencyPrefix.utf8.count)
        guard hex.count == 32, hex.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }) else { return nil }
        let digits = Array(hex)
        let dashed = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
            .map { String(decoding: digits[$0], as: UTF8.self) }.joined(separator: "-")
        return AgencyID(string: dashed)
    }
}
