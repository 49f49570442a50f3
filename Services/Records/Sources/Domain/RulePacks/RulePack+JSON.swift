import Foundation
import MusterCore
import MusterTime

extension RulePack {
    /// Parses and validates one pack file with the same validator as the API's requirements,
    /// or throws ``RequirementParamsError`` naming every bad field (`requirements[2].params.total_hours`).
    public static func parse(_ bytes: some Collection<UInt8>) throws -> RulePack {
        let json: JSONValue
        do { json = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) } catch {
            throw RequirementParamsError(errors: [RequirementFieldError(field: "", message: "not JSON")])
        }
        var reader = PackReader()
        guard let pack = reader.pack(json), reader.errors.isEmpty else { throw RequirementParamsError(errors: reader.errors) }
        return pack
    }
}

/// Reads a pack field by field, collecting every error.
private struct PackReader {
    var errors: [RequirementFieldError] = []

    mutating func fail(_ field: String, _ message: String) { errors.append(RequirementFieldError(field: field, message: message)) }

    mutating func pack(_ json: JSONValue) -> RulePack? {
        guard let fields = object(json, "", ["code", "name", "jurisdiction", "label", "last_checked", "categories", "requirements", "examples"])
        else { return nil }
        let code = string(fields["code"], "code")
        if let code, !RequirementLimits.isCategoryCode(code) { fail("code", "must match ^[a-z][a-z0-9_]{1,39}$") }
        let name = string(fields["name"], "name"), jurisdiction = string(fields["jurisdiction"], "jurisdiction")
        let label = string(fields["label"], "label"), lastChecked = date(fields["last_checked"], "last_checked")
        let categories = array(fields["categories"], "categories").enumerated().compactMap { category($1, "categories[\($0)]") }
        var seen = Set<String>()
        for (index, category) in categories.enumerated() where !seen.insert(category.code).inserted {
            fail("categories[\(index)].code", "\(category.code) is listed twice")
        }
        let catalog = RequirementCatalog(categoryCodes: seen)
        let requirements = array(fields["requirements"], "requirements").enumerated().compactMap { requirement($1, "requirements[\($0)]", catalog) }
        var codes = Set<String>()
        for (index, requirement) in requirements.enumerated() where !codes.insert(requirement.code).inserted {
            fail("requirements[\(index)].code", "\(requirement.code) is listed twice")
        }
        let examples = array(fields["examples"], "examples").enumerated().compactMap { example($1, "examples[\($0)]") }
        for (index, example) in examples.enumerated() where !codes.contains(example.requirementCode) {
            fail("examples[\(index)].requirement", "no requirement \(example.requirementCode) in the pack")
        }
        if examples.isEmpty { fail("examples", "a pack documents at least one example") }
        guard let code, let name, let jurisdiction, let label, let lastChecked else { return nil }
        return RulePack(code: code, name: name, jurisdiction: jurisdiction, label: label, lastChecked: lastChecked, categories: categories,
                        requirements: requirements, examples: examples)
    }

    mutating func category(_ json: JSONValue, _ path: String) -> RulePackCategory? {
        guard let fields = object(json, path, ["code", "name"]) else { return nil }
        let code = string(fields["code"], "\(path).code"), name = string(fields["name"], "\(path).name")
        guard let code, let name else { return nil }
        guard RequirementLimits.isCategoryCode(code) else { fail("\(path).code", "must match ^[a-z][a-z0-9_]{1,39}$"); return nil }
        return RulePackCategory(code: code, name: name)
    }

    mutating func requirement(_ json: JSONValue, _ path: String, _ catalog: RequirementCatalog) -> RulePackRequirement? {
        guard let fields = object(json, path, ["code", "name", "kind", "params", "due_soon_days", "mandatory", "effective_from", "source",
                                               "last_checked", "notes"]) else { return nil }
        let code = string(fields["code"], "\(path).code"), name = string(fields["name"], "\(path).name")
        let kind = string(fields["kind"], "\(path).kind").flatMap { text in
            RequirementKind(rawValue: text) ?? { fail("\(path).kind", "unknown kind \(text)"); return nil }()
        }
        if let kind, kind == .certification || kind == .policy {
            fail("\(path).kind", "a pack cannot name an agency's certification types or policies")
        }
        var params: RequirementParams?
        if let kind, let json = fields["params"] {
            do { params = try RequirementParams.parse(kind: kind, json: json, catalog: catalog) } catch let error as RequirementParamsError {
                errors += error.errors.map { RequirementFieldError(field: "\(path).\($0.field)", message: $0.message) }
            } catch {
                fail("\(path).params", "\(error)")
            }
        } else if fields["params"] == nil {
            fail("\(path).params", "is required")
        }
        let dueSoon: Int? = if case .number(let days)? = fields["due_soon_days"], days == days.rounded(), (0...3650).contains(days) {
            Int(days)
        } else if fields["due_soon_days"] == nil { 60 } else { { fail("\(path).due_soon_days", "must be 0…3650 days"); return nil }() }
        let mandatory: Bool? = if case .bool(let flag)? = fields["mandatory"] { flag } else if fields["mandatory"] == nil { true } else {
            { fail("\(path).mandatory", "must be true or false"); return nil }()
        }
        let effectiveFrom = fields["effective_from"].map { date($0, "\(path).effective_from") } ?? nil
        let source = object(fields["source"] ?? .null, "\(path).source", ["citation", "url"]).flatMap { source in
            string(source["citation"], "\(path).source.citation").flatMap { citation in
                string(source["url"], "\(path).source.url").map { RulePackSource(citation: citation, url: $0) }
            }
        }
        let lastChecked = date(fields["last_checked"], "\(path).last_checked")
        let notes = fields["notes"] == nil ? "" : string(fields["notes"], "\(path).notes")
        guard let code, let name, let kind, let params, let dueSoon, let mandatory, let source, let lastChecked, let notes,
              let paramsJSON = fields["params"] else { return nil }
        return RulePackRequirement(code: code, name: name, kind: kind, params: params, paramsJSON: paramsJSON, dueSoonDays: dueSoon,
                                   mandatory: mandatory, effectiveFrom: effectiveFrom, source: source, lastChecked: lastChecked, notes: notes)
    }

    mutating func example(_ json: JSONValue, _ path: String) -> RulePackExample? {
        guard let fields = object(json, path, ["description", "requirement", "hire_date", "license_issued_on", "records", "as_of", "expect"])
        else { return nil }
        let description = string(fields["description"], "\(path).description")
        let requirement = string(fields["requirement"], "\(path).requirement")
        let hired = date(fields["hire_date"], "\(path).hire_date")
        let license = fields["license_issued_on"].map { date($0, "\(path).license_issued_on") } ?? nil
        let asOf = date(fields["as_of"], "\(path).as_of")
        let records = array(fields["records"], "\(path).records").enumerated().compactMap { record($1, "\(path).records[\($0)]", index: $0) }
        let expected = expectation(fields["expect"] ?? .null, "\(path).expect")
        guard let description, let requirement, let hired, let asOf, let expected else { return nil }
        return RulePackExample(description: description, requirementCode: requirement, hireDate: hired, licenseIssuedOn: license,
                               records: records, asOf: asOf, expected: expected)
    }

    mutating func record(_ json: JSONValue, _ path: String, index: Int) -> ComplianceTrainingRecord? {
        guard let fields = object(json, path, ["completed_on", "hours", "category_hours", "course_code", "outcome"]) else { return nil }
        let completed = date(fields["completed_on"], "\(path).completed_on"), total = hours(fields["hours"], "\(path).hours")
        var categories: [CategoryHours] = []
        if case .object(let entries)? = fields["category_hours"] {
            for (code, value) in entries.sorted(by: { $0.key < $1.key }) {
                if let amount = hours(value, "\(path).category_hours.\(code)") { categories.append(CategoryHours(code: code, hours: amount)) }
            }
        }
        let outcome = fields["outcome"].flatMap { if case .string(let text) = $0 { TrainingOutcome(rawValue: text) } else { nil } } ?? .completed
        let course: String? = if case .string(let text)? = fields["course_code"] { text } else { nil }
        guard let completed, let total else { return nil }
        // Examples number their records so that contributing ids are stable.
        let id = TrainingRecordID(string: String(format: "00000000-0000-4000-8000-%012d", index + 1))!
        return ComplianceTrainingRecord(id: id, outcome: outcome, completedOn: completed, hours: total, categoryHours: categories, courseCode: course)
    }

    mutating func expectation(_ json: JSONValue, _ path: String) -> RulePackExample.Expected? {
        guard let fields = object(json, path, ["status", "due_on", "period", "required_hours", "completed_hours", "remaining_hours"]) else { return nil }
        guard case .string(let text)? = fields["status"], let status = RequirementStatus(rawValue: text) else {
            fail("\(path).status", "must be a status")
            return nil
        }
        func optional<T>(_ key: String, _ read: (inout PackReader, JSONValue) -> T?) -> T?? {
            guard let value = fields[key] else { return .none }
            return value == .null ? .some(nil) : .some(read(&self, value))
        }
        return RulePackExample.Expected(
            status: status, dueOn: optional("due_on") { $0.date($1, "\(path).due_on") },
            period: optional("period") { reader, value in
                reader.object(value, "\(path).period", ["starts_on", "ends_on"]).flatMap { period in
                    reader.date(period["starts_on"], "\(path).period.starts_on").flatMap { start in
                        reader.date(period["ends_on"], "\(path).period.ends_on").map { CompliancePeriod(startsOn: start, endsOn: $0) }
                    }
                }
            },
            requiredHours: optional("required_hours") { $0.hours($1, "\(path).required_hours") },
            completedHours: optional("completed_hours") { $0.hours($1, "\(path).completed_hours") },
            remainingHours: optional("remaining_hours") { $0.hours($1, "\(path).remaining_hours") })
    }

    // MARK: Scalars

    mutating func object(_ json: JSONValue, _ path: String, _ allowed: Set<String>) -> [String: JSONValue]? {
        guard case .object(let fields) = json else { fail(path, "must be an object"); return nil }
        let unknown = fields.keys.filter { !allowed.contains($0) }.sorted()
        for key in unknown { fail(path.isEmpty ? key : "\(path).\(key)", "unknown key") }
        return unknown.isEmpty ? fields : nil
    }

    mutating func array(_ json: JSONValue?, _ path: String) -> [JSONValue] {
        guard case .array(let items)? = json else { fail(path, "must be an array"); return [] }
        return items
    }

    mutating func string(_ json: JSONValue?, _ path: String) -> String? {
        guard case .string(let text)? = json, !text.isEmpty else { fail(path, "must be a non-empty string"); return nil }
        return text
    }

    mutating func date(_ json: JSONValue?, _ path: String) -> CalendarDate? {
        guard case .string(let text)? = json, let date = CalendarDate(text) else { fail(path, "must be a date YYYY-MM-DD"); return nil }
        return date
    }

    mutating func hours(_ json: JSONValue?, _ path: String) -> QuarterHours? {
        guard case .number(let number)? = json, let hours = QuarterHours(hours: number) else { fail(path, "must be hours, a multiple of 0.25"); return nil }
        return hours
    }
}
