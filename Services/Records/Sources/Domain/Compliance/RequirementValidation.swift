/// One thing wrong with a requirement's parameters, naming the field as the client
/// wrote it (`params.category_minimums[1].hours`), for a `422`.
public struct RequirementFieldError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Every problem found in a requirement's parameters (never empty).
public struct RequirementParamsError: Error, Sendable, CustomStringConvertible {
    public var errors: [RequirementFieldError]

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

/// What exists in the agency, for the validator to refuse parameters naming an unknown
/// category, course, certification type or policy. A `nil` set is not checked (a rule
/// pack's courses are the agency's to map).
public struct RequirementCatalog: Sendable {
    public var categoryCodes: Set<String>?
    public var courseCodes: Set<String>?
    public var certificationTypeIDs: Set<CertificationTypeID>?
    public var policyIDs: Set<PolicyID>?

    /// Checks nothing but the parameters' own shape.
    public static let unchecked = RequirementCatalog()

    public init(categoryCodes: Set<String>? = nil, courseCodes: Set<String>? = nil,
                certificationTypeIDs: Set<CertificationTypeID>? = nil, policyIDs: Set<PolicyID>? = nil) {
        self.categoryCodes = categoryCodes
        self.courseCodes = courseCodes
        self.certificationTypeIDs = certificationTypeIDs
        self.policyIDs = policyIDs
    }
}

/// The limits the validator holds parameters to.
enum RequirementLimits {
    static let months = 1...1200
    static let days = 0...36_500
    static let totalHours = QuarterHours(quarters: 1)...QuarterHours(quarters: 40_000)
    static let codesPerList = 200

    /// A category code as Records' catalog accepts it: `^[a-z][a-z0-9_]{1,39}$`.
    static func isCategoryCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard (2...40).contains(bytes.count), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0]) else { return false }
        return bytes.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
    }

    /// A course code: 1…64 characters, no control characters or surrounding spaces.
    static func isCourseCode(_ code: String) -> Bool {
        (1...64).contains(code.count) && code.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
            && code.first != " " && code.last != " "
    }
}
