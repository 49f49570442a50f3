/// A stored password hash: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, salt and hash
/// in unpadded standard base64 (the PHC string format), so that each hash keeps
/// the parameters it was made with and they can be raised later.
struct PasswordHash: Equatable {
    static let saltByteCount = 16
    static let hashByteCount = 32

    let parameters: ScryptParameters
    let salt: [UInt8]
    let hash: [UInt8]

    init(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    init(parsing text: String) throws(CryptoError) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { throw .malformed("password hash") }
        var values: [Substring: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[1]), values.updateValue(value, forKey: parts[0]) == nil else {
                throw .malformed("password hash")
            }
        }
        guard values.count == 3, let logN = values["ln"], let r = values["r"], let p = values["p"] else {
            throw .malformed("password hash")
        }
        parameters = ScryptParameters(logN: logN, r: r, p: p)
        salt = try Base64.decode(fields[3])
        hash = try Base64.decode(fields[4])
        guard parameters.isAccepted, !salt.isEmpty, hash.count >= 16 else { throw .malformed("password hash") }
    }

    var encoded: String {
        "$scrypt$\(parameters)$\(Base64.encode(salt, padded: false))$\(Base64.encode(hash, padded: false))"
    }
}
