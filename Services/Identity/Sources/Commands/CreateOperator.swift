import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterService

/// `identity create-operator --email E [--name N]`, the password on stdin: creates
/// the reserved `platform` agency on first use (active, its own Identity schema)
/// and an active operator in it. Operators sign in with agency `platform`.
enum CreateOperator {
    static func run(_ services: IdentityRuntime, _ arguments: [String]) async throws -> Int32 {
        let options = try IdentityCommands.options(arguments, allowed: ["email", "name"])
        guard let emailText = options["email"] else { throw CommandError(message: "--email is required") }
        let email: EmailAddress, name: String
        do {
            email = try EmailAddress.validated(emailText)
            name = try PersonName.validated(options["name"] ?? String(email.localPart))
        } catch {
            throw CommandError(message: "\(error.field): \(error.message)")
        }
        let password = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .newlines)
        _ = try await services.context.migrator?.migrate()
        if let problem = services.passwords.problem(with: password, agencySlug: AgencySlug.platform.rawValue, email: email) {
            throw CommandError(message: "password refused: \(problem)")
        }
        let agency = try await platformAgency(services)
        let hash = try await services.hasher.hash(password)
        let created = try await services.db.withAgency(agency.id) { tx -> UserID? in
            let id = UserID()
            let inserted = try await tx.execute("""
                INSERT INTO users (id, email, name, roles, status, password_hash, password_changed_at)
                VALUES (\(id), \(email.rawValue), \(name), \([Role.platformOperator.rawValue]), 'active', \(hash), now())
                ON CONFLICT (email) DO NOTHING
                """)
            guard inserted == 1 else { return nil }
            try await AuditTrail(agency: nil)
                .record("operator.created", actor: .service(.identity), target: .user(id), in: tx)
            return id
        }
        guard let created else { throw CommandError(message: "an operator with email \(email) exists") }
        print("operator \(created) created; sign in with agency \"platform\" and \(email)")
        return 0
    }

    /// The `platform` agency, created (with its schema) if this is the first operator.
    static func platformAgency(_ services: IdentityRuntime) async throws -> AgencyRecord {
        let id = AgencyID()
        try await services.db.execute("""
            INSERT INTO \(SchemaName.platform).agencies (id, slug, name, status, data_key, provisioned_services)
            VALUES (\(id), \(AgencySlug.platform.rawValue), 'Muster platform', 'active', \(try services.registry.newWrappedDataKey(for: id)),
                    \(AgencyProvisioner.services.map(\.rawValue)))
            ON CONFLICT (slug) DO NOTHING
            """)
        guard let agency = try await services.registry.find(slug: AgencySlug.platform.rawValue) else {
            throw CommandError(message: "the platform agency could not be created")
        }
        try await services.provisioner.migrator.provisionAgency(agency.id)
        return agency
    }
}
