import MusterContracts
import MusterCore
import MusterCrypto
import MusterDatabase
import MusterHTTP
import MusterOutbox
import MusterService

/// The weekly checkpoint email: a fresh checkpoint of the agency's chain, sent to
/// each of its admins (asked of Identity: `GET /internal/agencies/{id}/admins`),
/// so that the agency holds an anchor outside Muster without doing anything.
/// The emails go through Audit's outbox to Notify (template `audit_checkpoint`).
///
/// Template data: `agency_name`, `seq`, `hash`, `signed_at`, `kid`, `checkpoint`
/// (the signed JSON document, to keep), `keys_url`, `verify_url`.
struct CheckpointDigest: Sendable {
    static let template = "audit_checkpoint"

    let audit: AuditRuntime
    let peers: PeerClient
    let publicURL: String

    /// Sends the digest for one agency chain; nothing for the platform chain or an empty chain.
    func send(for chain: AuditChain) async throws {
        guard let agency = chain.agencyID, let checkpoint = try await audit.checkpointer.checkpoint(chain, kind: .digest) else {
            return
        }
        let response = try await peers.send(.identity, .get, AgencyAdmins.path(agency))
        guard response.isSuccess else {
            throw AdminsUnavailable(status: response.status.rawValue, body: String(decoding: response.body.prefix(512), as: UTF8.self))
        }
        let admins = try JSONCoding.decode(AgencyAdmins.self, from: response.body).admins
        let name = try await audit.registry.name(of: chain) ?? chain.description
        let data = [
            "agency_name": name, "seq": String(checkpoint.seq), "hash": Hex.encode(checkpoint.hash),
            "signed_at": checkpoint.signedAt.canonical, "kid": checkpoint.kid, "checkpoint": checkpoint.json.text,
            "keys_url": publicURL + "/api/v1/audit/keys", "verify_url": publicURL + "/api/v1/audit/verify",
        ]
        try await audit.events.pool.transaction { tx in
            for admin in admins {
                try await Outbox.enqueue(EmailRequest(agencyID: agency, template: Self.template, recipient: admin, data: data), in: tx)
            }
        }
    }

    /// Identity did not list the agency's admins.
    struct AdminsUnavailable: Error, CustomStringConvertible {
        let status: Int
        let body: String
        var description: String { "identity answered \(status) for the agency's admins: \(body)" }
    }
}
