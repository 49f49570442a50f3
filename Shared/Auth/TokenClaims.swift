import MusterCore

/// Claims a verifier reads from a token's payload with `JSONReader` (the hot path)
/// rather than `JSONDecoder`.
protocol TokenClaims: Sendable {
    init(_ members: JSONMembers) throws(TokenError)
}

/// Typed access to a JSON object's members; a missing or mistyped member is `.malformed`.
struct JSONMembers {
    let members: [(name: String, value: JSONReader.Node)]

    /// Nesting at most 16 deep, at most 64 members an object: a token's JSON is small.
    static let limits = JSONReader.Limits(depth: 16, members: 64)

    init(parsing bytes: [UInt8]) throws(TokenError) {
        guard case .object(let members)? = try? JSONReader.parse(bytes, limits: Self.limits) else { throw .malformed }
        self.members = members
    }

    subscript(name: String) -> JSONReader.Node? { members.first { $0.name == name }?.value }

    func contains(_ name: String) -> Bool { self[name] != nil }

    func string(_ name: String) throws(TokenError) -> String {
        guard let value = try optionalString(name) else { throw .malformed }
        return value
    }

    func optionalString(_ name: String) throws(TokenError) -> String? {
        switch self[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw .malformed
        }
    }

    /// A NumericDate (RFC 7519 §2): whole seconds, a fractional value rounded down.
    func time(_ name: String) throws(TokenError) -> Int {
        guard let value = try optionalTime(name) else { throw .malformed }
        return value
    }

    func optionalTime(_ name: String) throws(TokenError) -> Int? {
        switch self[name] {
        case nil, .null?: return nil
        case .number(let value)? where value.isFinite && abs(value) < 1e15: return Int(value.rounded(.down))
        default: throw .malformed
        }
    }

    func strings(_ name: String) throws(TokenError) -> [String] {
        guard case .array(let elements)? = self[name] else { throw .malformed }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let value) = element else { throw .malformed }
            strings.append(value)
        }
        return strings
    }
}
