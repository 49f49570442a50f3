import Foundation
import MusterAuth
import MusterCore
import MusterCrypto
import MusterTime

/// The measurements, in a nonisolated function: top-level code in `main.swift`
/// runs on the main actor, and every `await` from there would hop threads,
/// measuring the hops rather than the crypto.
enum Benchmarks {
    static func run(seconds: Double) async throws {
        let now = Timestamp.nowSeconds

        // Ed25519 verification through TokenVerifier, every token new (no cache hit): 1,000
        // distinct tokens in turn through a 64-entry cache, so each one was evicted long
        // before it comes back, while its bytes stay in the CPU cache as a just-received
        // request's would (60,000 distinct tokens would mostly measure memory misses).
        let signingKey = JWTSigningKey(privateKey: Ed25519.PrivateKey())
        let verifier = TokenVerifier(issuer: "bench", audience: "muster", keySource: StaticKeySource(JWKSet(signingKeys: [signingKey])),
                                     cacheCapacity: 64)
        try await verifier.refreshKeys()
        let tokenCount = Int(seconds * 20_000)
        let tokens = try (0..<1000).map { _ in
            try JWT.sign(AccessTokenClaims(iss: "bench", sub: UserID().description, aud: "muster", exp: now + 3600, iat: now,
                                           sid: SessionID().description, tid: AgencyID().description, agency: "bench-pd",
                                           roles: ["officer"], amr: ["pwd"]), type: JWT.accessTokenType, key: signingKey)
        }
        report("token_verify_new", try await rate(tokenCount) { _ = try await verifier.verify(tokens[$0 % tokens.count]) }, "per_second")

        // The raw signature check, for comparison.
        let message = Array(tokens[0].utf8.prefix(300)), publicKey = signingKey.privateKey.publicKey
        let signature = signingKey.privateKey.signature(for: message)
        report("ed25519_verify_raw", await rate(tokenCount) { _ in precondition(publicKey.isValidSignature(signature, for: message)) }, "per_second")
        report("ed25519_sign", await rate(tokenCount) { _ in _ = signingKey.privateKey.signature(for: message) }, "per_second")

        // The same token again: a cache hit.
        let cachedRate = try await rate(1_000_000) { _ in _ = try await verifier.verify(tokens[0]) }
        report("token_verify_cached", 1e6 / cachedRate, "microseconds")

        // scrypt at today's parameters on a 2-thread BlockingPool.
        let pool = BlockingPool(name: "scrypt", threads: 2)
        let hasher = PasswordHasher(pool: pool)
        let hashes = 8
        let scryptStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<hashes { group.addTask { try await hasher.hash("correct horse battery staple") } }
            for try await _ in group {}
        }
        report("scrypt_n17_hashes", Double(hashes) / elapsedSeconds(since: scryptStart), "per_second")
        pool.shutdown()

        // Audit-style hash chaining and AES-GCM sealing of 1 KiB.
        let event = [UInt8](repeating: 0x41, count: 512)
        var chain = SHA256.context(), previous = [UInt8](repeating: 0, count: 32)
        report("sha256_chain_512b", await rate(1_000_000) { _ in
            chain.update(previous)
            chain.update(event)
            previous = chain.finalize()
        }, "per_second")
        let dataKey = SymmetricKey(), kibibyte = [UInt8](repeating: 7, count: 1024)
        report("aes256gcm_seal_1k", try await rate(500_000) { _ in _ = try AESGCM.seal(kibibyte, with: dataKey) }, "per_second")
    }

    /// Runs `body` `count` times; returns operations per second.
    static func rate(_ count: Int, _ body: (Int) async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        for index in 0..<count { try await body(index) }
        return Double(count) / elapsedSeconds(since: start)
    }

    static func elapsedSeconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func report(_ name: String, _ value: Double, _ unit: String) {
        print(name, String(format: "%.2f", value), unit)
    }
}
