import Foundation
import MusterContracts
import MusterCore
import MusterHTTP
import MusterTime

/// A JSON object body read field by field: a wrong type is `400 invalid_field`,
/// a missing required field `400 missing_field`, an unknown field `400 unknown_field`,
/// a value that breaks a rule (a date that does not exist, text too long) `422`.
/// `has` tells a PATCH which fields were sent (`null` clears an optional one).
///
/// ```swift
/// let body = try RequestFields(request, allowed: ["name", "parent_id"])
/// let name = try body.text("name", max: 200)!            // required
/// let parent: UnitID? = try body.id("parent_id", required: false)
/// ```
struct RequestFields: Sendable {
    let values: [String: JSONValue]

    init(_ request: HTTPRequest, allowed: Set<String>) throws(HTTPError) {
        let object = try request.decode([String: JSONValue].self)
        try self.init(object, allowed: allowed)
    }

    init(_ values: [String: JSONValue], allowed: Set<String>) throws(HTTPError) {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw HTTPError.badRequest("Unknown field '\(String(unknown.prefix(60)))'.", code: "unknown_field")
        }
        self.values = values
    }

    /// Whether the field was sent (even as `null`).
    func has(_ field: String) -> Bool { values[field] != nil }

    /// Whether the field was sent as `null` (a PATCH clearing an optional field).
    func isNull(_ field: String) -> Bool { values[field] == .null }

    /// A PATCH may not clear these: `null` for any of them is `400 invalid_field`.
    func rejectNull(_ fields: [String]) throws(HTTPError) {
        if let field = fields.first(where: isNull) {
            throw HTTPError.badRequest("Field '\(field)' must not be null.", code: "invalid_field")
        }
    }

    private func present(_ field: String, required: Bool) throws(HTTPError) -> JSONValue? {
        switch values[field] {
        case nil, .null?:
            if required { throw HTTPError.badRequest("Missing field '\(field)'.", code: "missing_field") }
            return nil
        case let value?: return value
        }
    }

    private func wrongType(_ field: String, _ expected: String) -> HTTPError {
        HTTPError.badRequest("Field '\(field)' has the wrong type (expected \(expected)).", code: "invalid_field")
    }

    /// Trimmed text of 1…`max` characters (empty text counts as absent).
    func text(_ field: String, required: Bool = true, max: Int) throws(HTTPError) -> String? {
        guard let value = try present(field, required: required) else { return nil }
        guard case .string(let raw) = value else { throw wrongType(field, "a string") }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if required { throw HTTPError.unprocessable("'\(field)' must not be empty.", code: "invalid_\(field)") }
            return nil
        }
        guard text.count <= max else {
            throw HTTPError.unprocessable("'\(field)' must be at most \(max) characters.", code: "invalid_\(field)")
        }
        return text
    }

    /// A calendar date `YYYY-MM-DD` that exists.
    func date(_ field: String, required: Bool = true) throws(HTTPError) -> CalendarDate? {
        guard let value = try present(field, required: required) else { return nil }
        guard case .string(let text) = value else { throw wrongType(field, "a date string YYYY-MM-DD") }
        guard let date = CalendarDate(text) else {
            throw HTTPError.unprocessable("'\(field)' is not a real date (YYYY-MM-DD).", code: "invalid_date")
        }
        return date
    }

    func id<Tag>(_ field: String, required: Bool = true, as type: Identifier<Tag>.Type = Identifier<Tag>.self) throws(HTTPError) -> Identifier<Tag>? {
        guard let value = try present(field, required: required) else { return nil }
        guard case .string(let text) = value else { throw wrongType(field, "an id string") }
        guard let id = Identifier<Tag>(string: text) else {
            throw HTTPError.unprocessable("'\(field)' is not an id.", code: "invalid_id")
        }
        return id
    }

    func ids<Tag>(_ field: String, as type: Identifier<Tag>.Type = Identifier<Tag>.self, max: Int = 1000) throws(HTTPError) -> [Identifier<Tag>] {
        guard let value = try present(field, required: false) else { return [] }
        guard case .array(let items) = value else { throw wrongType(field, "an array of ids") }
        guard items.count <= max else { throw HTTPError.unprocessable("'\(field)' lists more than \(max) ids.", code: "too_many") }
        var result: [Identifier<Tag>] = []
        for item in items {
            guard case .string(let text) = item, let id = Identifier<Tag>(string: text) else {
                throw HTTPError.unprocessable("'\(field)' must hold ids only.", code: "invalid_id")
            }
            if !result.contains(id) { result.append(id) }
        }
        return result
    }

    func number(_ field: String, required: Bool = true) throws(HTTPError) -> Double? {
        guard let value = try present(field, required: required) else { return nil }
        guard case .number(let number) = value else { throw wrongType(field, "a number") }
        return number
    }

    /// An integer (a JSON number without a fraction).
    func integer(_ field: String, required: Bool = true) throws(HTTPError) -> Int? {
        guard let number = try number(field, required: required) else { return nil }
        guard number == number.rounded(), abs(number) < 1e15 else { throw wrongType(field, "an integer") }
        return Int(number)
    }

    /// An object of numbers, e.g. `category_hours`.
    func numbers(_ field: String) throws(HTTPError) -> [String: Double]? {
        guard let value = try present(field, required: false) else { return nil }
        guard case .object(let object) = value else { throw wrongType(field, "an object of numbers") }
        var result: [String: Double] = [:]
        for (key, item) in object {
            guard case .number(let number) = item else { throw wrongType("\(field).\(String(key.prefix(60)))", "a number") }
            result[key] = number
        }
        return result
    }

    /// One of `choices`.
    func choice<Value: RawRepresentable>(_ field: String, required: Bool = true, as type: Value.Type) throws(HTTPError) -> Value?
        where Value.RawValue == String, Value: CaseIterable {
        guard let value = try present(field, required: required) else { return nil }
        guard case .string(let text) = value else { throw wrongType(field, "a string") }
        guard let choice = Value(rawValue: text) else {
            let choices = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw HTTPError.unprocessable("'\(field)' must be one of: \(choices).", code: "invalid_\(field)")
        }
        return choice
    }

    /// A score 0…1000 with at most two decimals (`numeric(6,2)`).
    func score(_ field: String = "score") throws(HTTPError) -> Double? {
        guard let score = try number(field, required: false) else { return nil }
        guard score >= 0, score <= 1000, (score * 100).rounded() == score * 100 else {
            throw HTTPError.unprocessable("'\(field)' must be from 0 to 1000 with at most two decimals.", code: "invalid_score")
        }
        return score
    }
}
