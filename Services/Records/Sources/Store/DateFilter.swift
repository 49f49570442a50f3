import MusterDatabase
import MusterTime

extension SQL {
    /// ` AND column >= from AND column <= to`, each condition only when its date is given.
    ///
    /// Optional filters are left out of the text rather than written as
    /// `(\(from)::date IS NULL OR column >= \(from))`: once PostgreSQL caches a prepared
    /// statement's generic plan, such a condition is a filter on every row instead of an
    /// index bound, and a keyset page deep into a table walks the index from its start.
    ///
    /// ```swift
    /// let rows = try await tx.query("SELECT … FROM expenses e WHERE e.voided_at IS NULL\(SQL.dates("e.incurred_on", from: from, to: to))")
    /// ```
    static func dates(_ column: SQL, from: CalendarDate?, to: CalendarDate?) -> SQL {
        var filter: SQL = ""
        if let from { filter = filter + " AND " + column + " >= \(from)" }
        if let to { filter = filter + " AND " + column + " <= \(to)" }
        return filter
    }
}
