import Foundation
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterTime

/// A requirement version as a `POST` or `PUT /requirements` body gives it, validated:
/// shape first (`400` for a wrong type or an unknown field), then every rule (`422`
/// naming the field, `params.period.months` style), the agency's catalog included
/// (unknown categories, courses, certification types, policies and units).
///
/// ```swift
/// let body = try RequestFields(request, allowed: RequirementInput.creating)
/// let input = try RequirementInput(body, kind: .hours)
/// try await input.check(in: tx)          // 422 on an unknown category
/// ```
struct RequirementInput: Sendable {
    static let versionFields: Set<String> = ["name", "params", "applies_to", "effective_from", "effective_to", "due_soon_days", "mandatory"]
    static let creating = versionFields.union(["code", "kind"])
    /// A `PUT` may repeat the code and kind, unchanged.
    static let changing = creating

    let name: String
    let paramsJSON: JSONValue
    let ranks: [String]?
    let unitIDs: [UnitID]?
    /// nil: today in the agency's zone.
    let effectiveFrom: CalendarDate?
    let effectiveTo: CalendarDate?
    let dueSoonDays: Int
    let mandatory: Bool
    let kind: RequirementKind

    init(_ body: RequestFields, kind: RequirementKind) throws(HTTPError) {
        self.kind = kind
        name = try body.text("name", max: 200)!
        guard let params = body.values["params"], case .object = params else {
            throw Self.invalid("params", body.has("params") ? "must be an object" : "is required")
        }
        paramsJSON = params
        (ranks, unitIDs) = try Self.appliesTo(body.values["applies_to"])
        effectiveFrom = try body.date("effective_from", required: false)
        effectiveTo = try body.date("effective_to", required: false)
        if let effectiveTo, let effectiveFrom, effectiveTo < effectiveFrom {
            throw Self.invalid("effective_to", "must be on or after effective_from")
        }
        dueSoonDays = try body.integer("due_soon_days", required: false) ?? 60
        guard (0...3650).contains(dueSoonDays) else { throw Self.invalid("due_soon_days", "must be from 0 to 3650") }
        switch body.values["mandatory"] {
        case nil, .null?: mandatory = true
        case .bool(let flag)?: mandatory = flag
        default: throw HTTPError.badRequest("Field 'mandatory' has the wrong type (expected true or false).", code: "invalid_field")
        }
    }

    /// `422 invalid_requirement` whose message starts with the field's name.
    static func invalid(_ field: String, _ message: String) -> HTTPError {
        HTTPError.unprocessable("\(field): \(message).", code: "invalid_requirement")
    }

    /// The params, parsed and checked against what exists in the agency (one round trip).
    func params(in tx: Transaction) async throws -> RequirementParams {
        let rows = try await tx.pipeline([
            "SELECT code FROM categories", "SELECT code FROM courses", "SELECT id FROM certification_types", "SELECT id FROM policies",
            "SELECT id FROM units WHERE id = ANY(\((unitIDs ?? []).map(\.uuid)))",
        ])
        let catalog = RequirementCatalog(
            categoryCodes: Set(try rows[0].map { try $0.decode(column: 0, as: String.self) }),
            courseCodes: Set(try rows[1].map { try $0.decode(column: 0, as: String.self) }),
            certificationTypeIDs: Set(try rows[2].map { try $0.decode(column: 0, as: CertificationTypeID.self) }),
            policyIDs: Set(try rows[3].map { try $0.decode(column: 0, as: PolicyID.self) }))
        let known = Set(try rows[4].map { try $0.decode(column: 0, as: UnitID.self) })
        if let index = unitIDs?.firstIndex(where: { !known.contains($0) }) {
            throw Self.invalid("applies_to.unit_ids[\(index)]", "names no unit of the agency")
        }
        do {
            return try RequirementParams.parse(kind: kind, json: paramsJSON, catalog: catalog)
        } catch let error as RequirementParamsError {
            throw HTTPError.unprocessable(error.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), code: "invalid_requirement")
        }
    }

    /// `{"ranks":[…]|null,"unit_ids":[…]|null}`; absent or `null` is everyone.
    private static func appliesTo(_ value: JSONValue?) throws(HTTPError) -> ([String]?, [UnitID]?) {
        guard let value, value != .null else { return (nil, nil) }
        guard case .object(let fields) = value else { throw invalid("applies_to", "must be an object with ranks and unit_ids") }
        if let unknown = fields.keys.sorted().first(where: { $0 != "ranks" && $0 != "unit_ids" }) {
            throw invalid("applies_to.\(unknown.prefix(60))", "is not a field of applies_to (ranks, unit_ids)")
        }
        var ranks: [String]?, units: [UnitID]?
        if let value = fields["ranks"], value != .null {
            guard case .array(let items) = value, items.count <= 200 else { throw invalid("applies_to.ranks", "must be an array of at most 200 ranks") }
            ranks = []
            for (index, item) in items.enumerated() {
                guard case .string(let rank) = item, (1...100).contains(rank.count) else {
                    throw invalid("applies_to.ranks[\(index)]", "must be a rank of 1 to 100 characters")
                }
                if !ranks!.contains(rank) { ranks!.append(rank) }
            }
        }
        if let value = fields["unit_ids"], value != .null {
            guard case .array(let items) = value, items.count <= 1000 else { throw invalid("applies_to.unit_ids", "must be an array of at most 1000 ids") }
            units = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item, let id = UnitID(string: text) else { throw invalid("applies_to.unit_ids[\(index)]", "is not an id") }
                if !units!.contains(id) { units!.append(id) }
            }
        }
        return (ranks, units)
    }
}
