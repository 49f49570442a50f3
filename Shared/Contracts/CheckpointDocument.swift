import MusterCore

/// A signed audit checkpoint as Audit publishes it (`GET /api/v1/audit/checkpoints`,
/// the weekly digest) and as anyone hands it back to be verified: the chain's
/// `seq` and `hash` there, signed (Ed25519, base64url) by the key `kid` of
/// `GET /api/v1/audit/keys`. Records reads an agency's latest one from
/// `GET /internal/agencies/{id}/checkpoints/latest` (service credential) for
/// the training transcript.
///
/// ```swift
/// let latest = try await peers.send(.audit, .get, CheckpointDocument.latestPath(agency), requestID: request.id)
/// let document = try JSONCoding.decode(CheckpointDocument.self, from: latest.body)
/// ```
public struct CheckpointDocument: Codable, Sendable, Equatable {
    public static func latestPath(_ agency: AgencyID) -> String { "/internal/agencies/\(agency)/checkpoints/latest" }

    public var agencyID: String?
    public var seq: Int64
    public var hash: String
    public var kid: String
    public var kind: String
    public var signature: String
    public var signedAt: String
    public var v: Int64

    public init(agencyID: String?, seq: Int64, hash: String, kid: String, kind: String, signature: String, signedAt: String, v: Int64) {
        self.agencyID = agencyID
        self.seq = seq
        self.hash = hash
        self.kid = kid
        self.kind = kind
        self.signature = signature
        self.signedAt = signedAt
        self.v = v
    }
}
