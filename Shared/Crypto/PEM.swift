import COpenSSL

/// Reads and writes keys as PEM text through OpenSSL memory BIOs.
enum PEM {
    /// Reads a PKCS#8 private key or an SPKI public key. Encrypted PEM is refused:
    /// OpenSSL's default would stop the service to ask for a passphrase on a terminal.
    static func read(_ text: String, `private`: Bool) throws(CryptoError) -> KeyHandle {
        var bytes = Array(text.utf8)
        let key: OpaquePointer? = bytes.withUnsafeMutableBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            // The callback returns no passphrase, so encrypted PEM fails instead of prompting.
            return `private` ? PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
                : PEM_read_bio_PUBKEY(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let key else {
            ERR_clear_error()
            throw .malformed(`private` ? "PEM private key" : "PEM public key")
        }
        return KeyHandle(key)
    }

    /// PKCS#8 (`BEGIN PRIVATE KEY`) or SPKI (`BEGIN PUBLIC KEY`) text for `key`.
    static func write(_ key: KeyHandle, `private`: Bool) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new: out of memory") }
        defer { BIO_free(bio) }
        let written = `private` ? PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil)
            : PEM_write_bio_PUBKEY(bio, key.pointer)
        precondition(written == 1, "PEM_write_bio failed")
        var data: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard let data, length > 0 else { fatalError("PEM output missing") }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
