import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterTime

/// A signed statement that event `seq` of a chain has hash `hash`, made by Audit's
/// Ed25519 key `kid` at `signed_at` (for `seq` 0: the chain was empty).
///
/// The signature covers the canonical JSON (``CanonicalJSON``) of
/// `{"agency_id","hash","kid","kind","seq","signed_at","v":1}`; the published
/// document adds `"signature"` (base64url, no padding) in its sorted place:
///
/// ```
/// {"agency_id":"9f0c…","hash":"3b1e…","kid":"Xc2…","kind":"periodic","seq":1042,
///  "signature":"q0Z…","signed_at":"2025-03-01T00:00:00.000000Z","v":1}
/// ```
/// Anyone holding the public key (`GET /api/v1/audit/keys`) can check it offline.
public struct Checkpoint: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Signed on schedule when the chain grew.
        case periodic
        /// Asked for through the API.
        case onDemand = "on_demand"
        /// Signed for the weekly email to the agency's admins.
        case digest
        /// Signed at the last event of an export.
        case export
        /// Signed where the retention purge cut the chain: the first kept event links to it.
        case retentionCut = "retention_cut"
    }

    public static let version: Int64 = 1

    public var chain: AuditChain
    public var seq: Int64
    public var hash: [UInt8]
    public var kind: Kind
    public var signedAt: MicroTime
    public var kid: String
    public var signature: [UInt8]

    public init(chain: AuditChain, seq: Int64, hash: [UInt8], kind: Kind, signedAt: MicroTime, kid: String, signature: [UInt8]) {
        self.chain = chain
        self.seq = seq
        self.hash = hash
        self.kind = kind
        self.signedAt = signedAt
        self.kid = kid
        self.signature = signature
    }

    /// Signs `link` of `chain` with `key`.
    public static func sign(_ link: ChainLink, of chain: AuditChain, kind: Kind, at time: MicroTime, with key: AuditSigningKey) -> Checkpoint {
        var checkpoint = Checkpoint(chain: chain, seq: link.seq, hash: link.hash, kind: kind, signedAt: time, kid: key.kid, signature: [])
        checkpoint.signature = key.privateKey.signature(for: checkpoint.signedBytes)
        return checkpoint
    }

    /// Whether the signature holds for `publicKey`.
    public func isValid(with publicKey: Ed25519.PublicKey) -> Bool {
        signature.count == Ed25519.signatureByteCount && publicKey.isValidSignature(signature, for: signedBytes)
    }

    /// The bytes the signature covers.
    public var signedBytes: [UInt8] { document(includingSignature: false).bytes }

    /// The published document (canonical JSON, signature included).
    public var json: CanonicalJSON { document(includingSignature: true) }

    private func document(includingSignature: Bool) -> CanonicalJSON {
        var json = CanonicalJSON(capacity: 320)
        json.object { o in
            o.member("agency_id") { $0.string(chain.agencyID?.description) }
            o.member("hash") { $0.string(Hex.encode(hash)) }
            o.member("kid") { $0.string(kid) }
            o.member("kind") { $0.string(kind.rawValue) }
            o.member("seq") { $0.integer(seq) }
            if includingSignature { o.member("signature") { $0.string(Base64URL.encode(signature)) } }
            o.member("signed_at") { $0.string(signedAt.canonical) }
            o.member("v") { $0.integer(Self.version) }
        }
        return json
    }
}

extension CheckpointDocument {
    /// The checkpoint it describes, or nil when a field is malformed (wrong agency, bad hex…).
    public func checkpoint(of chain: AuditChain) -> Checkpoint? {
        guard v == Checkpoint.version, agencyID?.lowercased() == chain.agencyID?.description, seq >= 0,
              let kind = Checkpoint.Kind(rawValue: kind), let signedAt = MicroTime(canonical: signedAt),
              let hash = try? Hex.decode(hash), hash.count == 32,
              let signature = try? Base64URL.decode(signature) else { return nil }
        return Checkpoint(chain: chain, seq: seq, hash: hash, kind: kind, signedAt: signedAt, kid: kid, signature: signature)
    }
}

/// One of Audit's checkpoint-signing keys, private half in hand.
public struct AuditSigningKey: Sendable {
    public let kid: String
    public let privateKey: Ed25519.PrivateKey

    /// `kid` is the RFC 7638 thumbprint of the public key, so a key can never be
    /// swapped under a kid that checkpoints already name.
    public init(privateKey: Ed25519.PrivateKey) {
        self.privateKey = privateKey
        kid = Self.kid(of: privateKey.publicKey)
    }

    public static func kid(of publicKey: Ed25519.PublicKey) -> String {
        JWK(publicKey: publicKey, kid: "").thumbprint
    }
}
