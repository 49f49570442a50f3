import Foundation
import MusterTime

/// The JSON conventions of every Muster API: `snake_case` keys, RFC 3339 UTC times.
///
/// One naming rule for wire types: Swift properties are camelCase with acronyms
/// upper-case as Swift's API guidelines say (`agencyID`, `requestID`, `userIDs`,
/// `publicURL`); the wire names are their snake_case words (`agency_id`,
/// `request_id`, `user_ids`, `public_url`); see ``snakeCase(_:)`` and ``camelCase(_:)``. The encoder and
/// the decoder here map one to the other, so a wire type declares no `CodingKeys`
/// unless a wire name is irregular (a name the rule cannot produce).
///
/// ```swift
/// struct Grant: Codable { var supportGrantID: String; var expiresAt: Date }
/// try JSONCoding.encode(grant)   // {"expires_at":"2026-01-01T00:00:00Z","support_grant_id":"…"}
/// try JSONCoding.decode(Grant.self, from: bytes)
/// ```
public enum JSONCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in WireKey(snakeCase(path[path.count - 1].stringValue)) }
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.rfc3339(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in WireKey(camelCase(path[path.count - 1].stringValue)) }
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 time")
            }
            return date
        }
        return decoder
    }

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try encoder().encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try decoder().decode(type, from: Data(bytes))
    }
}
