import MusterTime

/// Binds as `timestamptz` exactly (PostgreSQL's binary form: microseconds since
/// 2000-01-01). Read times back exactly with `(extract(epoch FROM t) * 1000000)::int8`.
extension MicroTime: SQLBindable {
    public static var sqlType: SQLType { .timestamptz }
    public var sqlValue: SQLValue? {
        let sincePostgresEpoch = microseconds - 946_684_800_000_000
        return withUnsafeBytes(of: UInt64(bitPattern: sincePostgresEpoch).bigEndian) { SQLValue(bytes: Array($0), format: .binary) }
    }
}
