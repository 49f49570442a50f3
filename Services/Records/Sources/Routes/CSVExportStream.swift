import Foundation
import MusterCore
import MusterDatabase
import MusterHTTP

/// Streams a CSV export a page at a time as the client reads: each page is one
/// keyset query (rows after the last one sent) in its own agency transaction, so a
/// 200,000-row export holds one page, never the file.
///
/// ```swift
/// let stream = CSVExportStream(header: ["id", "name"], pool: db, agency: agency) { after, limit in
///     "SELECT id::text AS key, id, ARRAY[id::text, name] AS cells FROM units WHERE … ORDER BY 1, 2 LIMIT \(limit)"
/// }
/// return HTTPResponse(headers: csvHeaders, body: stream.body)
/// ```
/// The query returns `key` (the sort key as text), `id` and `cells` (text[], one per column).
actor CSVExportStream {
    typealias Query = @Sendable (_ after: (key: String, id: UUID)?, _ limit: Int) -> SQL

    static let pageSize = 2000

    private let pool: DatabasePool
    private let agency: AgencyID
    private let query: Query
    private var header: [String]?
    private var after: (key: String, id: UUID)?
    private var done = false

    init(header: [String], pool: DatabasePool, agency: AgencyID, query: @escaping Query) {
        self.header = header
        self.pool = pool
        self.agency = agency
        self.query = query
    }

    func next() async throws -> [UInt8]? {
        var csv = CSVWriter(reservingCapacity: Self.pageSize * 200)
        if let header {
            csv.write(header)
            self.header = nil
        }
        guard !done else { return nil }
        let sql = query(after, Self.pageSize)
        let rows = try await pool.withAgency(agency) { tx in try await tx.query(sql) }
        for row in rows { csv.write(try row.decode("cells", as: [String].self)) }
        if let last = rows.last { after = (try last.decode("key", as: String.self), try last.decode("id", as: UUID.self)) }
        done = rows.count < Self.pageSize
        return csv.bytes.isEmpty ? nil : csv.take()
    }

    nonisolated var body: HTTPBody {
        .stream(AsyncThrowingStream { try await self.next() })
    }
}
