import Foundation
import MusterAuth
import MusterCore
import MusterCrypto
import MusterTime
import Synchronization

/// A settable clock for expiry tests.
final class TestClock: Sendable {
    private let seconds: Mutex<Int>
    init(_ start: Int = Timestamp.nowSeconds) { seconds = Mutex(start) }
    var now: Int { seconds.withLock { $0 } }
    func advance(_ delta: Int) { seconds.withLock { $0 += delta } }
    var function: @Sendable () -> Int { { self.now } }
}

/// A key source serving whatever set it holds, counting fetches.
final class CountingKeySource: KeySource {
    private let state: Mutex<(keys: JWKSet, fetches: Int)>
    init(_ keys: JWKSet) { state = Mutex((keys, 0)) }
    func fetchKeys() async throws -> JWKSet { state.withLock { $0.fetches += 1; return $0.keys } }
    func replace(_ keys: JWKSet) { state.withLock { $0.keys = keys } }
    var fetches: Int { state.withLock { $0.fetches } }
}

enum AuthFixtures {
    static let issuer = "https://identity.muster.test"
    static let audience = "muster"

    static func claims(now: Int, lifetime: Int = 600, session: SessionID = SessionID()) -> AccessTokenClaims {
        AccessTokenClaims(iss: issuer, sub: UserID().description, aud: audience, exp: now + lifetime, iat: now,
                          sid: session.description, tid: AgencyID().description, agency: "metro-pd",
                          roles: ["officer", "supervisor", "future_role"], amr: ["pwd", "otp"])
    }

    static func verifier(_ source: any KeySource, clock: TestClock, cacheCapacity: Int = 100) -> TokenVerifier {
        TokenVerifier(issuer: issuer, audience: audience, keySource: source, cacheCapacity: cacheCapacity, now: clock.function)
    }

    /// A compact JWT with any header and payload JSON and a given signature, for forgery tests.
    static func forged(header: String, payload: String, signature: [UInt8]) -> String {
        Base64URL.encode(header.utf8) + "." + Base64URL.encode(payload.utf8) + "." + Base64URL.encode(signature)
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
