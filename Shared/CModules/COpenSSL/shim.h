#ifndef MUSTER_COPENSSL_SHIM_H
#define MUSTER_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>

/* Function-like macros do not import into Swift; these wrappers do. */
static inline long muster_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long muster_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}
static inline long muster_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline uint64_t muster_ssl_ctx_set_options(SSL_CTX *ctx, uint64_t options) {
    return SSL_CTX_set_options(ctx, options);
}
static inline void muster_openssl_free(void *ptr) { OPENSSL_free(ptr); }
static inline int muster_tls1_2_version(void) { return TLS1_2_VERSION; }
static inline int muster_tls1_3_version(void) { return TLS1_3_VERSION; }
static inline long muster_ssl_mode_release_buffers(void) { return SSL_MODE_RELEASE_BUFFERS; }
static inline long muster_ssl_mode_accept_moving_write_buffer(void) { return SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER; }
static inline long muster_ssl_mode_enable_partial_write(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
static inline uint64_t muster_ssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t muster_ssl_op_cipher_server_preference(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }
static inline uint64_t muster_ssl_op_no_compression(void) { return SSL_OP_NO_COMPRESSION; }
static inline long muster_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
/* SHA-256 on a context on the stack. OpenSSL 3.0's EVP digests (and its SHA256()
   one-shot, which goes through them) allocate a context on every use; a digest
   taken on every request should not. The low-level calls are deprecated for
   general use, not removed, and compute the same function. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline void muster_sha256(const void *data, size_t count, unsigned char *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, count);
    SHA256_Final(digest, &context);
    OPENSSL_cleanse(&context, sizeof(context));
}
#pragma GCC diagnostic pop
#endif
