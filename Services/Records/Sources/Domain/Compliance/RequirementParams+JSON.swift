import MusterCore
import MusterTime

extension RequirementParams {
    /// Parses and validates the `params` object of a requirement of `kind` (spec field
    /// names), or throws ``RequirementParamsError`` naming every bad field.
    ///
    /// ```swift
    /// let params = try RequirementParams.parse(kind: .hours, json: [
    ///     "period": ["kind": "calendar_year"], "total_hours": 20,
    /// ])
    /// ```
    public static func parse(kind: RequirementKind, json: JSONValue, catalog: RequirementCatalog = .unchecked) throws -> RequirementParams {
        var reader = ParamsReader(catalog: catalog)
        let params = reader.params(kind: kind, json: json)
        guard reader.errors.isEmpty, let params else { throw RequirementParamsError(errors: reader.errors) }
        return params
    }
}

/// Reads a `params` object field by field, collecting every error instead of stopping at the first.
private struct ParamsReader {
    let catalog: RequirementCatalog
    var errors: [RequirementFieldError] = []

    init(catalog: RequirementCatalog) { self.catalog = catalog }

    mutating func fail(_ field: String, _ message: String) {
        errors.append(RequirementFieldError(field: field, message: message))
    }

    mutating func params(kind: RequirementKind, json: JSONValue) -> RequirementParams? {
        let path = "params"
        switch kind {
        case .hours:
            guard let fields = object(json, at: path, allowed: ["period", "total_hours", "category_minimums", "new_hires"]) else { return nil }
            let period = periodRule(fields["period"], at: "\(path).period")
            let total = hours(fields["total_hours"], at: "\(path).total_hours", in: RequirementLimits.totalHours)
            let minimums = categoryMinimums(fields["category_minimums"], at: "\(path).category_minimums", total: total)
            let newHires = newHireRule(fields["new_hires"], at: "\(path).new_hires", allowsProration: true)
            guard let period, let total, let minimums, let newHires else { return nil }
            return .hours(period: period, totalHours: total, categoryMinimums: minimums, newHires: newHires)
        case .completion:
            guard let fields = object(json, at: path, allowed: ["period", "course_codes", "category_codes", "outcome", "new_hires"])
            else { return nil }
            let period = periodRule(fields["period"], at: "\(path).period")
            let training = qualifyingTraining(fields, at: path)
            let passedOnly = outcome(fields["outcome"], at: "\(path).outcome")
            let newHires = newHireRule(fields["new_hires"], at: "\(path).new_hires", allowsProration: false)
            guard let period, let training, let passedOnly, let newHires else { return nil }
            return .completion(period: period, training: training, passedOnly: passedOnly, newHires: newHires)
        case .recurring:
            guard let fields = object(json, at: path, allowed: ["every_months", "course_codes", "category_codes", "initial_days"])
            else { return nil }
            let every = integer(fields["every_months"], at: "\(path).every_months", in: RequirementLimits.months)
            let training = qualifyingTraining(fields, at: path)
            let initial = fields["initial_days"].isAbsent ? 0 : integer(fields["initial_days"], at: "\(path).initial_days", in: RequirementLimits.days)
            guard let every, let training, let initial else { return nil }
            return .recurring(everyMonths: every, training: training, initialDays: initial)
        case .certification:
            guard let fields = object(json, at: path, allowed: ["certification_type_id", "initial_days"]) else { return nil }
            let type = identifier(fields["certification_type_id"], at: "\(path).certification_type_id", as: CertificationTypeID.self,
                                  known: catalog.certificationTypeIDs, noun: "certification type")
            let initial = fields["initial_days"].isAbsent ? 0 : integer(fields["initial_days"], at: "\(path).initial_days", in: RequirementLimits.days)
            guard let type, let initial else { return nil }
            return .certification(typeID: type, initialDays: initial)
        case .policy:
            guard let fields = object(json, at: path, allowed: ["policy_id", "within_days"]) else { return nil }
            let policy = identifier(fields["policy_id"], at: "\(path).policy_id", as: PolicyID.self, known: catalog.policyIDs, noun: "policy")
            let within = integer(fields["within_days"], at: "\(path).within_days", in: RequirementLimits.days)
            guard let policy, let within else { return nil }
            return .policy(policyID: policy, withinDays: within)
        }
    }

    // MARK: Composite fields

    mutating func periodRule(_ value: JSONValue?, at path: String) -> PeriodRule? {
        guard let value, !value.isAbsent else { fail(path, "is required"); return nil }
        guard case .object(let raw) = value, case .string(let kind)? = raw["kind"] else {
            fail(path, "must be an object with a kind: fixed, calendar_year or anchored")
            return nil
        }
        switch kind {
        case "fixed":
            guard let fields = object(value, at: path, allowed: ["kind", "starts_on", "months"]) else { return nil }
            let start = date(fields["starts_on"], at: "\(path).starts_on")
            let months = integer(fields["months"], at: "\(path).months", in: RequirementLimits.months)
            guard let start, let months else { return nil }
            return .fixed(startsOn: start, months: months)
        case "calendar_year":
            guard object(value, at: path, allowed: ["kind"]) != nil else { return nil }
            return .calendarYear
        case "anchored":
            guard let fields = object(value, at: path, allowed: ["kind", "anchor", "months", "ends_on_month_day"]) else { return nil }
            var anchor: PeriodAnchor?
            if case .string(let text)? = fields["anchor"], let parsed = PeriodAnchor(rawValue: text) { anchor = parsed } else {
                fail("\(path).anchor", "must be hire_date or license_issued_on")
            }
            let months = integer(fields["months"], at: "\(path).months", in: RequirementLimits.months)
            var endsOn: MonthDay?
            var endsOnValid = true
            if !fields["ends_on_month_day"].isAbsent {
                if case .string(let text)? = fields["ends_on_month_day"], let parsed = MonthDay(text) { endsOn = parsed } else {
                    fail("\(path).ends_on_month_day", "must be a month-day MM-DD that every year has (not 02-29), or null")
                    endsOnValid = false
                }
            }
            guard let anchor, let months, endsOnValid else { return nil }
            return .anchored(anchor: anchor, months: months, endsOn: endsOn)
        default:
            fail("\(path).kind", "must be fixed, calendar_year or anchored")
            return nil
        }
    }

    mutating func categoryMinimums(_ value: JSONValue?, at path: String, total: QuarterHours?) -> [CategoryMinimum]? {
        guard let value, !value.isAbsent else { return [] }
        guard case .array(let items) = value else { fail(path, "must be an array"); return nil }
        guard items.count <= RequirementLimits.codesPerList else { fail(path, "at most \(RequirementLimits.codesPerList) minimums"); return nil }
        var minimums: [CategoryMinimum] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let fields = object(item, at: itemPath, allowed: ["category_codes", "hours"]) else { continue }
            let codes = codeList(fields["category_codes"], at: "\(itemPath).category_codes", category: true, required: true)
            let hours = hours(fields["hours"], at: "\(itemPath).hours", in: RequirementLimits.totalHours)
            if let hours, let total, hours > total { fail("\(itemPath).hours", "\(hours) is above total_hours (\(total))") }
            if let codes, let hours { minimums.append(CategoryMinimum(categoryCodes: codes, hours: hours)) }
        }
        return minimums.count == items.count ? minimums : nil
    }

    mutating func newHireRule(_ value: JSONValue?, at path: String, allowsProration: Bool) -> NewHireRule? {
        guard let value, !value.isAbsent else { return .full }
        if case .string("full") = value { return .full }
        if case .string("exempt") = value { return .exempt }
        guard case .object(let raw) = value, raw.count == 1, let key = raw.keys.first else {
            fail(path, "must be \"full\", \"exempt\", {\"exempt_if_hired_after\":\"MM-DD\"} or {\"prorate_hours_per_month\":h}")
            return nil
        }
        switch key {
        case "exempt_if_hired_after":
            guard case .string(let text)? = raw[key], let monthDay = MonthDay(text) else {
                fail("\(path).exempt_if_hired_after", "must be a month-day MM-DD that every year has (not 02-29)")
                return nil
            }
            return .exemptIfHiredAfter(monthDay)
        case "prorate_hours_per_month":
            guard allowsProration else { fail("\(path).prorate_hours_per_month", "applies to hours requirements only"); return nil }
            guard let rate = hours(raw[key], at: "\(path).prorate_hours_per_month", in: RequirementLimits.totalHours) else { return nil }
            return .prorate(perMonth: rate)
        default:
            fail("\(path).\(key)", "unknown key")
            return nil
        }
    }

    mutating func qualifyingTraining(_ fields: [String: JSONValue], at path: String) -> QualifyingTraining? {
        let courses = codeList(fields["course_codes"], at: "\(path).course_codes", category: false, required: false)
        let categories = codeList(fields["category_codes"], at: "\(path).category_codes", category: true, required: false)
        guard let courses, let categories else { return nil }
        guard !courses.isEmpty || !categories.isEmpty else {
            fail("\(path).course_codes", "course_codes or category_codes must name at least one course or category")
            return nil
        }
        return QualifyingTraining(courseCodes: courses, categoryCodes: categories)
    }

    mutating func outcome(_ value: JSONValue?, at path: String) -> Bool? {
        guard let value, !value.isAbsent else { return false }
        switch value {
        case .string("completed"): return false
        case .string("passed"): return true
        default: fail(path, "must be completed or passed"); return nil
        }
    }

    // MARK: Scalars

    mutating func object(_ value: JSONValue, at path: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard case .object(let fields) = value else { fail(path, "must be an object"); return nil }
        let unknown = fields.keys.filter { !allowed.contains($0) }.sorted()
        for key in unknown { fail("\(path).\(key)", "unknown key") }
        return unknown.isEmpty ? fields : nil
    }

    mutating func hours(_ value: JSONValue?, at path: String, in range: ClosedRange<QuarterHours>) -> QuarterHours? {
        guard let value, !value.isAbsent else { fail(path, "is required"); return nil }
        guard case .number(let number) = value, let hours = QuarterHours(hours: number) else {
            fail(path, "must be a number of hours, a multiple of 0.25")
            return nil
        }
        guard range.contains(hours) else { fail(path, "must be between \(range.lowerBound) and \(range.upperBound)"); return nil }
        return hours
    }

    mutating func integer(_ value: JSONValue?, at path: String, in range: ClosedRange<Int>) -> Int? {
        guard let value, !value.isAbsent else { fail(path, "is required"); return nil }
        guard case .number(let number) = value, number == number.rounded(), number >= Double(range.lowerBound),
              number <= Double(range.upperBound) else {
            fail(path, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(number)
    }

    mutating func date(_ value: JSONValue?, at path: String) -> CalendarDate? {
        guard case .string(let text)? = value, let date = CalendarDate(text) else { fail(path, "must be a date YYYY-MM-DD"); return nil }
        return date
    }

    mutating func identifier<Tag>(_ value: JSONValue?, at path: String, as type: Identifier<Tag>.Type,
                                  known: Set<Identifier<Tag>>?, noun: String) -> Identifier<Tag>? {
        guard case .string(let text)? = value, let id = Identifier<Tag>(string: text) else { fail(path, "must be a \(noun) id"); return nil }
        if let known, !known.contains(id) { fail(path, "unknown \(noun)"); return nil }
        return id
    }

    mutating func codeList(_ value: JSONValue?, at path: String, category: Bool, required: Bool) -> [String]? {
        guard let value, !value.isAbsent else {
            if required { fail(path, "is required") }
            return required ? nil : []
        }
        guard case .array(let items) = value, items.count <= RequirementLimits.codesPerList else {
            fail(path, "must be an array of at most \(RequirementLimits.codesPerList) codes")
            return nil
        }
        var codes: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard case .string(let code) = item,
                  category ? RequirementLimits.isCategoryCode(code) : RequirementLimits.isCourseCode(code) else {
                fail("\(path)[\(index)]", category ? "must be a category code (^[a-z][a-z0-9_]{1,39}$)" : "must be a course code")
                valid = false
                continue
            }
            if codes.contains(code) { fail("\(path)[\(index)]", "\(code) is listed twice"); valid = false; continue }
            if let known = category ? catalog.categoryCodes : catalog.courseCodes, !known.contains(code) {
                fail("\(path)[\(index)]", category ? "unknown category \(code)" : "unknown course \(code)")
                valid = false
                continue
            }
            codes.append(code)
        }
        if required, items.isEmpty { fail(path, "must name at least one code"); valid = false }
        return valid ? codes : nil
    }
}

private extension Optional where Wrapped == JSONValue {
    /// Missing or `null`: an optional field left out.
    var isAbsent: Bool {
        switch self {
        case .none, .some(.null): true
        default: false
        }
    }
}

private extension JSONValue {
    var isAbsent: Bool { self == .null }
}
