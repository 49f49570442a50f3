import MusterAuth
import MusterCore

/// An agency's identity policy: which roles must use MFA, and how long sessions
/// last (refresh tokens expire after `sessionIdleMinutes` unused and
/// `sessionMaxHours` in all), within fixed bounds.
struct AgencySettings: Codable, Sendable, Equatable {
    var mfaRequiredRoles: [Role]
    var sessionIdleMinutes: Int
    var sessionMaxHours: Int

    static let defaults = AgencySettings(mfaRequiredRoles: [], sessionIdleMinutes: 12 * 60, sessionMaxHours: 7 * 24)
    static let idleBounds = 5...(24 * 60)
    static let maxBounds = 1...(30 * 24)

    func validated() throws(ValidationFailure) -> AgencySettings {
        guard Self.idleBounds.contains(sessionIdleMinutes) else {
            throw ValidationFailure(field: "session_idle_minutes", message: "Use \(Self.idleBounds.lowerBound)–\(Self.idleBounds.upperBound) minutes.")
        }
        guard Self.maxBounds.contains(sessionMaxHours) else {
            throw ValidationFailure(field: "session_max_hours", message: "Use \(Self.maxBounds.lowerBound)–\(Self.maxBounds.upperBound) hours.")
        }
        guard sessionIdleMinutes <= sessionMaxHours * 60 else {
            throw ValidationFailure(field: "session_idle_minutes", message: "The idle limit cannot exceed the session's whole lifetime.")
        }
        guard !mfaRequiredRoles.contains(.platformOperator) else {
            throw ValidationFailure(field: "mfa_required_roles", message: "platform_operator is not an agency role.")
        }
        var copy = self
        copy.mfaRequiredRoles = Array(Set(mfaRequiredRoles)).sorted()
        return copy
    }

    func requiresMFA(for roles: some Sequence<Role>) -> Bool {
        roles.contains { mfaRequiredRoles.contains($0) }
    }
}
