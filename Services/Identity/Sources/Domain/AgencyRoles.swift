import MusterAuth
import MusterCore

/// Roles an agency admin may give: every `Role` but `platform_operator`.
enum AgencyRoles {
    static func parse(_ names: [String], field: String = "roles") throws(ValidationFailure) -> [Role] {
        var roles: Set<Role> = []
        for name in names {
            guard let role = Role(rawValue: name), role != .platformOperator else {
                throw ValidationFailure(field: field, message: "Unknown role '\(name.prefix(40))'; use officer, supervisor, coordinator, agency_admin or auditor.")
            }
            roles.insert(role)
        }
        guard !roles.isEmpty else { throw ValidationFailure(field: field, message: "Give at least one role.") }
        return roles.sorted()
    }
}
