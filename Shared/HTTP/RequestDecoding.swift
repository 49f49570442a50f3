import Foundation
import MusterCore

extension HTTPRequest {
    /// Decodes the JSON body into `T`, or throws `400` saying what is wrong.
    ///
    /// ```swift
    /// struct Invite: Decodable { let email: String; let name: String }
    /// let invite = try request.decode(Invite.self)
    /// ```
    public func decode<T: Decodable>(_ type: T.Type) throws(HTTPError) -> T {
        guard !body.isEmpty else { throw .badRequest("A JSON body is required.", code: "invalid_json") }
        guard String(validating: body, as: UTF8.self) != nil else {
            throw .badRequest("The body is not valid UTF-8.", code: "invalid_json")
        }
        guard !Self.holdsEscapedNUL(body) else {
            throw .badRequest("Text must not contain the NUL character (\\u0000).", code: "invalid_json")
        }
        do {
            return try JSONCoding.decode(type, from: body)
        } catch let error as DecodingError {
            throw .badRequest(Self.describe(error), code: "invalid_json")
        } catch {
            throw .badRequest("The body is not valid JSON.", code: "invalid_json")
        }
    }

    /// Whether JSON text holds `\u0000` (the only way a JSON string carries NUL). PostgreSQL text
    /// cannot store NUL: such a value would be cut short in a text column or fail in a jsonb one.
    private static func holdsEscapedNUL(_ json: [UInt8]) -> Bool {
        let backslash = UInt8(ascii: "\\"), zero = UInt8(ascii: "0")
        var index = 0
        while let found = json[index...].firstIndex(of: backslash) {
            guard found + 1 < json.count else { return false }
            if json[found + 1] == UInt8(ascii: "u"), found + 5 < json.count, json[(found + 2)...(found + 5)].allSatisfy({ $0 == zero }) {
                return true
            }
            index = found + 2   // past the escaped character, so `\\u0000` (a backslash, then text) does not count
        }
        return false
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? JSONCoding.snakeCase($0.stringValue) }
            return keys.isEmpty ? "the body" : "'\(keys.joined(separator: "."))'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "Missing field '\(JSONCoding.snakeCase(key.stringValue))'\(parent)."
        case .typeMismatch(let type, let context):
            return "Field \(path(context)) has the wrong type (expected \(describe(type)))."
        case .valueNotFound(let type, let context):
            return "Field \(path(context)) must not be null (expected \(describe(type)))."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "The body is not valid JSON."
                : "Field \(path(context)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "The body could not be read."
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: String(describing: type).contains("Array") ? "an array" : "an object"
        }
    }
}

extension [String: String] {
    /// A path parameter parsed as a typed id; a malformed id is `404` (it names nothing).
    public func id<Tag>(_ name: String, as type: Identifier<Tag>.Type = Identifier<Tag>.self, what: String = "resource") throws(HTTPError) -> Identifier<Tag> {
        guard let text = self[name], let id = Identifier<Tag>(string: text) else { throw .notFound(what) }
        return id
    }
}
