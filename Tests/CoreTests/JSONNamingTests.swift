import Foundation
import Testing
import MusterCore

/// The one naming rule of wire types: camelCase Swift names with `ID` upper-case,
/// snake_case on the wire, both ways, without `CodingKeys`.
@Suite struct JSONNamingTests {
    struct Wire: Codable, Equatable {
        var agencyID: String
        var supportGrantID: String?
        var nextCursor: String?
        var id: Int
        var userIDs: [Int]
        var publicURL: String
        var changes: [String: String]
    }

    @Test func swiftNamesBecomeSnakeCaseWords() {
        #expect(JSONCoding.snakeCase("agencyID") == "agency_id")
        #expect(JSONCoding.snakeCase("recipientUserID") == "recipient_user_id")
        #expect(JSONCoding.snakeCase("mfaRequiredAt") == "mfa_required_at")
        #expect(JSONCoding.snakeCase("publicURL") == "public_url")
        #expect(JSONCoding.snakeCase("sha256Hash") == "sha256_hash")
        #expect(JSONCoding.snakeCase("next_cursor") == "next_cursor")
        #expect(JSONCoding.snakeCase("userIDs") == "user_ids")
        #expect(JSONCoding.snakeCase("IDsByRole") == "ids_by_role")
        #expect(JSONCoding.snakeCase("HTTPSession") == "http_session")
        #expect(JSONCoding.camelCase("user_ids") == "userIDs")
        #expect(JSONCoding.camelCase("otpauth_uri") == "otpauthURI")
        #expect(JSONCoding.camelCase("client_ip") == "clientIP")
        #expect(JSONCoding.camelCase("status_codes") == "statusCodes")
        #expect(JSONCoding.camelCase("agency_id") == "agencyID")
        #expect(JSONCoding.camelCase("id") == "id")
        #expect(JSONCoding.camelCase("idempotency_key") == "idempotencyKey")
        #expect(JSONCoding.camelCase("retention_years") == "retentionYears")
    }

    @Test func wireTypesRoundTripWithSnakeCaseKeysAndDictionaryKeysAsTheyAre() throws {
        let value = Wire(agencyID: "a", supportGrantID: "g", nextCursor: nil, id: 7, userIDs: [1], publicURL: "https://x", changes: ["user_id": "u", "agencyID": "x"])
        let text = String(decoding: try JSONCoding.encode(value), as: UTF8.self)
        #expect(text == #"{"agency_id":"a","changes":{"agencyID":"x","user_id":"u"},"id":7,"public_url":"https://x","support_grant_id":"g","user_ids":[1]}"#)
        #expect(try JSONCoding.decode(Wire.self, from: Array(text.utf8)) == value)
        // Foundation's own JSON reader sees the same members.
        let keys = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(Set(keys?.keys ?? [:].keys) == ["agency_id", "changes", "id", "public_url", "support_grant_id", "user_ids"])
    }
}
