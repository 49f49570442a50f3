/// A SQL statement written as string interpolation, whose interpolated values
/// are sent as bound parameters (`$1`, `$2`…) and never become SQL text.
///
/// Only three things can be interpolated: a ``SQLBindable`` value (bound), a
/// ``SchemaName`` (written as a quoted identifier) and another `SQL` fragment
/// (its own parameters are renumbered). Anything else does not compile.
/// (`SQL(stringLiteral:)` exists for the compiler; calling it with anything but
/// a literal defeats all of this and must not pass review.)
///
/// ```swift
/// let rows = try await tx.query("SELECT id, name FROM users WHERE email = \(email) AND agency = \(agencyID)")
/// var filter: SQL = "status = \(status)"
/// if let unit { filter = filter + " AND unit_id = \(unit)" }
/// let officers = try await tx.query("SELECT id FROM officers WHERE \(filter)")
/// ```
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// Parameters sit among the text where they appear (one array per
    /// statement, not two): the n-th parameter piece is `$n`.
    enum Piece: Sendable {
        case text(String)
        case parameter(SQLParameter)
    }

    private(set) var pieces: [Piece]

    public init(stringLiteral value: String) {
        pieces = [.text(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        pieces = stringInterpolation.sql.pieces
    }

    /// Statement text from a source the library trusts: its own constant SQL
    /// around validated identifiers, or a service's migration files.
    init(trusted text: String) {
        self.init(stringLiteral: text)
    }

    init(pieces: [Piece]) {
        self.pieces = pieces
    }

    /// The statement as sent: text with `$n` placeholders (never the values).
    public var text: String {
        // Built for every statement sent: one allocation, no formatting.
        if pieces.count == 1, case .text(let text) = pieces[0] { return text }
        var out = ""
        out.reserveCapacity(pieces.reduce(0) { total, piece in
            if case .text(let text) = piece { return total + text.utf8.count }
            return total + 6
        })
        var number = 0
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .parameter:
                number += 1
                SQL.appendPlaceholder(number, to: &out)
            }
        }
        return out
    }

    /// `$number`, digit by digit (formatting an `Int` goes through a protocol witness).
    private static func appendPlaceholder(_ number: Int, to out: inout String) {
        out.unicodeScalars.append("$")
        var divisor = 1
        while divisor <= number / 10 { divisor *= 10 }
        while divisor > 0 {
            out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + number / divisor % 10)))
            divisor /= 10
        }
    }

    public var description: String { text }

    /// Concatenates two statements; the right side's parameters are renumbered.
    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.append(rhs)
        return result
    }

    mutating func append(_ other: SQL) {
        pieces += other.pieces
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = SQL(pieces: [])

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.pieces.reserveCapacity(2 * interpolationCount + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql.pieces.append(.text(literal))
        }

        /// Binds `value` as the next parameter.
        public mutating func appendInterpolation<Value: SQLBindable>(_ value: Value) {
            sql.pieces.append(.parameter(SQLParameter(type: Value.sqlType, value: value.sqlValue)))
        }

        /// Binds an optional (`nil` is `NULL`); spelled out so that optionals
        /// interpolate without the compiler's "debug description" warning.
        public mutating func appendInterpolation<Value: SQLBindable>(_ value: Value?) {
            sql.pieces.append(.parameter(SQLParameter(type: Value.sqlType, value: value?.sqlValue)))
        }

        /// Writes a validated schema name as a quoted identifier.
        public mutating func appendInterpolation(_ schema: SchemaName) {
            sql.pieces.append(.text(schema.quoted))
        }

        /// Embeds a fragment, keeping its values bound.
        public mutating func appendInterpolation(_ fragment: SQL) {
            sql.append(fragment)
        }
    }
}

/// One bound parameter: its declared type and its encoded value (`nil` is `NULL`).
struct SQLParameter: Sendable {
    let type: SQLType
    let value: SQLValue?
}
