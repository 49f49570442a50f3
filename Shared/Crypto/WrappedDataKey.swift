/// A data key sealed under a master key, as stored next to the data it protects:
/// `<master key id>.<base64url sealed box>`.
///
/// ```swift
/// let text = wrapped.encoded                      // store this
/// let again = try WrappedDataKey(encoded: text)   // read it back
/// ```
public struct WrappedDataKey: Sendable, Hashable {
    /// Which master key sealed it (see `MasterKey.id`).
    public let masterKeyID: String
    /// The AES-GCM sealed box holding the 32 key bytes.
    public let sealed: [UInt8]

    public init(masterKeyID: String, sealed: [UInt8]) {
        self.masterKeyID = masterKeyID
        self.sealed = sealed
    }

    public init(encoded: String) throws(CryptoError) {
        let parts = encoded.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { throw .malformed("wrapped data key") }
        masterKeyID = String(parts[0])
        sealed = try Base64URL.decode(parts[1])
    }

    public var encoded: String { "\(masterKeyID).\(Base64URL.encode(sealed))" }
}
