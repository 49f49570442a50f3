import Foundation
import MusterAuth
import MusterCore

/// A user as the API shows one: never a hash or a seed.
struct UserView: Encodable, Sendable {
    let id: UserID
    let email: String
    let name: String
    let roles: [Role]
    let status: UserStatus
    let mfaEnabled: Bool
    let locked: Bool
    let createdAt: Date
    let updatedAt: Date

    init(_ user: UserRecord) {
        id = user.id
        email = user.email
        name = user.name
        roles = user.roleSet
        status = user.status
        mfaEnabled = user.mfaEnrolledAt != nil
        locked = user.locked
        createdAt = user.createdAt
        updatedAt = user.updatedAt
    }
}
