import Foundation
import MusterCore
import MusterCrypto
import Testing

@Suite struct KeyHierarchyTests {
    @Test func wrapsUnwrapsAndBindsTheContext() throws {
        let ring = MasterKeyRing(current: SymmetricKey())
        let (dataKey, wrapped) = try ring.newDataKey(context: "agency-a")
        #expect(wrapped.masterKeyID == ring.current.id && ring.current.id.count == 16)
        let restored = try ring.unwrap(WrappedDataKey(encoded: wrapped.encoded), context: "agency-a")
        #expect(restored.rawRepresentation == dataKey.rawRepresentation)
        #expect(throws: CryptoError.authenticationFailed) { try ring.unwrap(wrapped, context: "agency-b") }

        let box = try AESGCM.seal("totp seed".bytes, with: dataKey, aad: "user-1".bytes)
        #expect(try AESGCM.open(box, with: restored, aad: "user-1".bytes) == "totp seed".bytes)
    }

    @Test func rotationRewrapsUnderTheNewKeyWithoutLosingOldData() throws {
        let old = SymmetricKey(), new = SymmetricKey()
        let before = MasterKeyRing(current: old)
        let (dataKey, wrapped) = try before.newDataKey(context: "agency")
        let during = MasterKeyRing(current: new, previous: [old])
        #expect(during.needsRewrap(wrapped))
        #expect(try during.unwrap(wrapped, context: "agency").rawRepresentation == dataKey.rawRepresentation)
        let rewrapped = try during.rewrap(wrapped, context: "agency")
        #expect(rewrapped.masterKeyID == during.current.id && rewrapped.masterKeyID != wrapped.masterKeyID)
        #expect(try during.rewrap(rewrapped, context: "agency") == rewrapped)

        let after = MasterKeyRing(current: new)
        #expect(try after.unwrap(rewrapped, context: "agency").rawRepresentation == dataKey.rawRepresentation)
        #expect(throws: CryptoError.unknownMasterKey(wrapped.masterKeyID)) { try after.unwrap(wrapped, context: "agency") }
    }

    @Test func loadsFromTheEnvironmentOrAKeyFile() throws {
        let current = SymmetricKey(), previous = SymmetricKey()
        let inline = try MasterKeyRing(environment: Environment([
            "MUSTER_MASTER_KEY": Base64.encode(current.rawRepresentation),
            "MUSTER_MASTER_KEY_PREVIOUS": Base64.encode(previous.rawRepresentation),
        ]))
        #expect(inline.current.id == MasterKey(current).id)
        let (_, wrappedByPrevious) = try MasterKeyRing(current: previous).newDataKey(context: "x")
        #expect(throws: Never.self) { try inline.unwrap(wrappedByPrevious, context: "x") }

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("master-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# current first\n\(Base64.encode(current.rawRepresentation))\n\n\(Base64.encode(previous.rawRepresentation))\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try MasterKeyRing(environment: Environment(["MUSTER_MASTER_KEY_FILE": path]))
        #expect(fromFile.current.id == inline.current.id)
        #expect(throws: Never.self) { try fromFile.unwrap(wrappedByPrevious, context: "x") }

        for bad in [[:], ["MUSTER_MASTER_KEY": "c2hvcnQ="], ["MUSTER_MASTER_KEY": "x", "MUSTER_MASTER_KEY_FILE": path],
                    ["MUSTER_MASTER_KEY_FILE": path + ".missing"]] {
            #expect(throws: ConfigurationError.self) { try MasterKeyRing(environment: Environment(bad)) }
        }
    }

    @Test func wrappedKeysRefuseMalformedText() {
        for bad in ["", "nodot", ".abc", "id.!!"] {
            #expect(throws: CryptoError.self) { try WrappedDataKey(encoded: bad) }
        }
    }
}
