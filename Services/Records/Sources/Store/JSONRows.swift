import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP

/// Records builds each resource's JSON in PostgreSQL (`jsonb_build_object` over the
/// row, in a column named `json`): the body is the database's text, with no decoding
/// and re-encoding in between. These helpers turn such rows into responses.
enum JSONRows {
    /// RFC 3339 UTC text of a `timestamptz` column, as every Muster API writes times.
    static func time(_ column: SQL) -> SQL {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    }

    /// Hours from a quarter-hours column.
    static func hours(_ column: SQL) -> SQL { "(\(column)::float8 / 4)" }

    /// Category hours from a jsonb column of quarter-hours.
    static func categoryHours(_ column: SQL) -> SQL {
        "(SELECT coalesce(jsonb_object_agg(key, value::float8 / 4), '{}'::jsonb) FROM jsonb_each_text(\(column)))"
    }

    /// The `json` column of one row, or nil without a row.
    static func one(_ rows: Rows) throws -> [UInt8]? {
        guard let row = rows.first else { return nil }
        return Array(try row.decode("json", as: String.self).utf8)
    }

    /// The `json` column of one row as a value (to compare before and after a change).
    static func object(_ rows: Rows) throws -> [String: JSONValue]? {
        guard let bytes = try one(rows) else { return nil }
        return try JSONCoding.decode([String: JSONValue].self, from: bytes)
    }

    /// `{"items":[…],"next_cursor":…|null}`.
    static func list(_ rows: Rows, nextCursor: String? = nil) throws -> HTTPResponse {
        var body: [UInt8] = Array("{\"items\":[".utf8)
        for (index, row) in rows.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += Array(try row.decode("json", as: String.self).utf8)
        }
        body += Array("]".utf8)
        var tail = ",\"next_cursor\":"
        if let nextCursor { JSONText.appendQuoted(nextCursor, to: &tail) } else { tail += "null" }
        body += Array(tail.utf8)
        body.append(UInt8(ascii: "}"))
        return .jsonBytes(body)
    }

    static func response(_ bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse { .jsonBytes(bytes, status: status) }
}
