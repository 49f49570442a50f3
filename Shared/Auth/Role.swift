/// What a user may do inside their agency. A user may hold several roles.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case officer
    case supervisor
    case coordinator
    case agencyAdmin = "agency_admin"
    case auditor
    /// Platform operators belong to the reserved `platform` agency only.
    case platformOperator = "platform_operator"

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}
