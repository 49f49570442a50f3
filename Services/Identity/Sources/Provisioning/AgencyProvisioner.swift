import MusterContracts
import MusterCore
import MusterDatabase
import MusterService

/// Brings a new agency from `provisioning` to `active`, idempotently, so that the
/// request that created it and the reconciler can both call `advance` any number
/// of times: Identity's own agency schema (the Migrator), the first admin's
/// invitation (user, token and email in one transaction), each service's
/// `PUT /internal/agencies/{id}`, then `active`. A failure is recorded with a
/// backoff for the reconciler (`ProvisioningReconciler`).
struct AgencyProvisioner: Sendable {
    static let services: [ServiceName] = [.records, .audit, .notify]

    let registry: AgencyRegistry
    let migrator: Migrator
    let peers: PeerClient
    let mailer: Mailer
    let logger: Logger

    /// Does what is left; returns the status the agency has afterwards.
    @discardableResult
    func advance(_ id: AgencyID, requestID: String? = nil) async -> AgencyStatus? {
        do {
            try await migrator.provisionAgency(id)
            try await inviteFirstAdmin(id)
            guard var agency = try await registry.find(id: id) else { return nil }
            guard agency.status == .provisioning else { return agency.status }
            for service in Self.services where !agency.provisionedServices.contains(service.rawValue) {
                _ = try await peers.json(service, .put, "/internal/agencies/\(id)",
                                         body: ProvisionAgencyRequest(slug: agency.slug, name: agency.name),
                                         as: ProvisionAgencyResponse.self, requestID: requestID)
                try await registry.pool.execute("""
                    UPDATE \(SchemaName.platform).agencies SET provisioned_services = array_append(provisioned_services, \(service.rawValue))
                    WHERE id = \(id) AND NOT (\(service.rawValue) = ANY(provisioned_services))
                    """)
            }
            try await registry.pool.execute("""
                UPDATE \(SchemaName.platform).agencies
                SET status = 'active', updated_at = now(), provisioning_attempts = 0, last_provisioning_error = NULL
                WHERE id = \(id) AND status = 'provisioning'
                """)
            agency = try await registry.find(id: id) ?? agency
            logger.info("agency provisioned", ["agency": id.description])
            return agency.status
        } catch {
            logger.warning("agency provisioning incomplete; will retry", ["agency": id.description, "error": "\(error)"])
            _ = try? await registry.pool.execute("""
                UPDATE \(SchemaName.platform).agencies
                SET provisioning_attempts = provisioning_attempts + 1, last_provisioning_error = left(\("\(error)"), 500),
                    next_provisioning_at = now() + least(power(2, provisioning_attempts), 30) * interval '1 second'
                WHERE id = \(id) AND status = 'provisioning'
                """)
            return .provisioning
        }
    }

    /// Invites the admin named at creation, once: the pending columns are cleared in the same transaction.
    private func inviteFirstAdmin(_ id: AgencyID) async throws {
        try await registry.pool.withAgency(id) { tx in
            let pending = try await tx.query("""
                SELECT pending_admin_email, pending_admin_name FROM \(SchemaName.platform).agencies
                WHERE id = \(id) AND pending_admin_email IS NOT NULL FOR UPDATE
                """)
            guard let row = pending.first, let agency = try await registry.find(id: id, in: tx) else { return }
            let email = try EmailAddress.validated(try row.decode("pending_admin_email", as: String.self))
            let name = try row.decode("pending_admin_name", as: String.self)
            if let user = try await UserStore.insertInvited(email: email, name: name, roles: [.agencyAdmin], in: tx) {
                let token = try await UserTokenStore.issue(.invitation, for: user.id, agency: id, in: tx)
                try await mailer.invitation(to: .init(user), token: token, agency: agency, in: tx)
                try await AuditTrail(agency: id)
                    .record("user.invited", actor: .service(.identity), target: .user(user.id),
                            changes: ["roles": .roles([], [.agencyAdmin])], in: tx)
            }
            try await tx.execute("""
                UPDATE \(SchemaName.platform).agencies SET pending_admin_email = NULL, pending_admin_name = NULL WHERE id = \(id)
                """)
        }
    }
}
