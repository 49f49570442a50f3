import Foundation
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterService

/// Identity's admin subcommands, beside `serve` and `migrate`.
enum IdentityCommands {
    static let all: [ServiceCommand<IdentityRuntime>] = [
        ServiceCommand(name: "create-operator", summary: "create a platform operator: --email E [--name N]; password on stdin") { services, arguments in
            try await CreateOperator.run(services, arguments)
        },
        ServiceCommand(name: "rotate-signing-key", summary: "add a new token signing key; tokens of the old one stay valid") { services, _ in
            _ = try await services.context.migrator?.migrate()
            let kid = try await SigningKeys.add(pool: services.db, ring: services.registry.ring)
            try await AuditTrail(agency: nil)
                .record("key.signing.rotated", actor: .service(.identity), target: .init(type: "signing_key", id: kid), in: services.db)
            print("new signing key \(kid); running Identity processes use it within \(SigningKeys.reloadInterval)")
            return 0
        },
        ServiceCommand(name: "resend-invitation", summary: "a new invitation email to a user who has not accepted yet: --agency SLUG --email E") { services, arguments in
            try await ResendInvitation.run(services, arguments)
        },
        ServiceCommand(name: "rotate-master-key", summary: "rewrap every data key under the current master key") { services, _ in
            try await MasterKeyRotation.run(services)
        },
    ]

    /// `--name value` pairs.
    static func options(_ arguments: [String], allowed: Set<String>) throws -> [String: String] {
        var options: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard name.hasPrefix("--"), allowed.contains(String(name.dropFirst(2))), let value = iterator.next() else {
                throw CommandError(message: "unexpected argument \(name.debugDescription); expected \(allowed.sorted().map { "--\($0) VALUE" }.joined(separator: " "))")
            }
            options[String(name.dropFirst(2))] = value
        }
        return options
    }
}

struct CommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
