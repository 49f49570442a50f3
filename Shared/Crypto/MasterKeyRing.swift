import Foundation
import MusterCore

/// A master key and the id that wrapped keys record to name it.
public struct MasterKey: Sendable {
    /// 16 hex digits derived from the key itself (HMAC-SHA-256 of a fixed label),
    /// so ids need no configuration and cannot disagree with the key.
    public let id: String
    public let key: SymmetricKey

    public init(_ key: SymmetricKey) {
        self.key = key
        id = Hex.encode(HMAC.authenticationCode(for: Array("muster master key id".utf8), key: key.rawRepresentation,
                                                algorithm: .sha256).prefix(8))
    }
}

/// Envelope encryption: per-agency data keys, wrapped (AES-256-GCM) by the
/// current master key, unwrapped by whichever master key the ring holds under
/// the wrapped key's id.
///
/// Rotation without downtime: deploy the new key as current with the old one
/// as previous; every process can then read both; `rewrap` each stored key;
/// finally drop the old key.
///
/// ```swift
/// let ring = try MasterKeyRing(environment: Environment())
/// let (dataKey, wrapped) = try ring.newDataKey(context: agency.description)   // store `wrapped.encoded`
/// let box = try AESGCM.seal(seed, with: dataKey, aad: Array(user.description.utf8))
/// let key = try ring.unwrap(wrapped, context: agency.description)
/// ```
/// `context` (the agency id) is bound into each wrapping, so a wrapped key
/// copied to another agency's row does not unwrap.
public struct MasterKeyRing: Sendable {
    public let current: MasterKey
    private let keys: [String: MasterKey]

    public init(current: SymmetricKey, previous: [SymmetricKey] = []) {
        self.current = MasterKey(current)
        var keys: [String: MasterKey] = [:]
        for key in previous.map(MasterKey.init) + [self.current] { keys[key.id] = key }
        self.keys = keys
    }

    /// A fresh random data key and its wrapped form.
    public func newDataKey(context: String) throws(CryptoError) -> (key: SymmetricKey, wrapped: WrappedDataKey) {
        let key = SymmetricKey()
        return (key, try wrap(key, context: context))
    }

    public func wrap(_ dataKey: SymmetricKey, context: String) throws(CryptoError) -> WrappedDataKey {
        let sealed = try AESGCM.seal(dataKey.rawRepresentation, with: current.key, aad: Self.aad(current.id, context))
        return WrappedDataKey(masterKeyID: current.id, sealed: sealed)
    }

    public func unwrap(_ wrapped: WrappedDataKey, context: String) throws(CryptoError) -> SymmetricKey {
        guard let master = keys[wrapped.masterKeyID] else { throw .unknownMasterKey(wrapped.masterKeyID) }
        return try SymmetricKey(rawRepresentation: AESGCM.open(wrapped.sealed, with: master.key, aad: Self.aad(master.id, context)))
    }

    /// The same data key wrapped under the current master key (unchanged if it already is).
    public func rewrap(_ wrapped: WrappedDataKey, context: String) throws(CryptoError) -> WrappedDataKey {
        guard needsRewrap(wrapped) else { return wrapped }
        return try wrap(unwrap(wrapped, context: context), context: context)
    }

    public func needsRewrap(_ wrapped: WrappedDataKey) -> Bool { wrapped.masterKeyID != current.id }

    private static func aad(_ masterKeyID: String, _ context: String) -> [UInt8] {
        Array("muster-data-key/v1\u{0}\(masterKeyID)\u{0}\(context)".utf8)
    }
}

extension MasterKeyRing {
    /// Reads the ring from the environment:
    /// - `MUSTER_MASTER_KEY`: the current key, base64 of 32 bytes; or
    /// - `MUSTER_MASTER_KEY_FILE`: a file with one base64 key per line, current
    ///   first, older keys after it (blank lines and `#` comments ignored);
    /// - `MUSTER_MASTER_KEY_PREVIOUS`: optional comma-separated older keys.
    public init(environment: Environment) throws {
        let inline = environment["MUSTER_MASTER_KEY"], path = environment["MUSTER_MASTER_KEY_FILE"]
        let lines: [String]
        let source: String
        switch (inline, path) {
        case (let key?, nil):
            lines = [key]
            source = "MUSTER_MASTER_KEY"
        case (nil, let path?):
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ConfigurationError(variable: "MUSTER_MASTER_KEY_FILE", problem: "cannot read \(path)")
            }
            lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            source = "MUSTER_MASTER_KEY_FILE"
        case (.some, .some):
            throw ConfigurationError(variable: "MUSTER_MASTER_KEY", problem: "set either it or MUSTER_MASTER_KEY_FILE, not both")
        case (nil, nil):
            throw ConfigurationError(variable: "MUSTER_MASTER_KEY", problem: "a master key is required (or MUSTER_MASTER_KEY_FILE)")
        }
        guard !lines.isEmpty else { throw ConfigurationError(variable: source, problem: "no key found") }
        let named = lines.map { (source, $0) } + environment.list("MUSTER_MASTER_KEY_PREVIOUS").map { ("MUSTER_MASTER_KEY_PREVIOUS", $0) }
        let keys = try named.map { variable, text in
            do { return try SymmetricKey(rawRepresentation: Base64.decode(text)) } catch {
                // Never echo the value: it is (or is close to) a secret.
                throw ConfigurationError(variable: variable, problem: "expected base64 of 32 bytes")
            }
        }
        self.init(current: keys[0], previous: Array(keys.dropFirst()))
    }
}
