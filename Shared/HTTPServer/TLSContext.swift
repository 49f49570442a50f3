import COpenSSL
import MusterHTTP

/// A configured OpenSSL `SSL_CTX`, shared by every loop.
///
/// `@unchecked Sendable`: the context is fully configured in `init` and never
/// changed afterwards, and OpenSSL documents a configured `SSL_CTX` as safe to
/// use from many threads at once (`SSL_new` takes its own reference).
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer

    /// TLS 1.2 suites with ECDHE and an AEAD; TLS 1.3's suites are all AEAD already.
    static let tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    init(_ configuration: TLSConfiguration) throws(HTTPServerError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw Self.failure("SSL_CTX_new") }
        self.context = context
        _ = muster_ssl_ctx_set_min_proto_version(context, muster_tls1_2_version())
        _ = muster_ssl_ctx_set_options(context, muster_ssl_op_no_renegotiation() | muster_ssl_op_cipher_server_preference()
                                           | muster_ssl_op_no_compression())
        // The output buffer may grow (and move) between a blocked write and its retry.
        _ = muster_ssl_ctx_set_mode(context, muster_ssl_mode_accept_moving_write_buffer()
                                        | muster_ssl_mode_enable_partial_write() | muster_ssl_mode_release_buffers())
        guard SSL_CTX_set_cipher_list(context, Self.tls12Ciphers) == 1 else { throw Self.failure("SSL_CTX_set_cipher_list") }
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainFile) == 1 else {
            throw Self.failure("load certificate chain \(configuration.certificateChainFile)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyFile, SSL_FILETYPE_PEM) == 1,
              SSL_CTX_check_private_key(context) == 1 else {
            throw Self.failure("load private key \(configuration.privateKeyFile)")
        }
    }

    deinit { SSL_CTX_free(context) }

    private static func failure(_ operation: String) -> HTTPServerError {
        let code = ERR_get_error()
        ERR_clear_error()
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        let reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return HTTPServerError(operation: "\(operation): \(reason)", code: 0)
    }
}
