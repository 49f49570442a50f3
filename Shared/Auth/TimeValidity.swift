/// The time checks every token gets: `exp` and `nbf` with a small leeway for
/// clock skew between hosts, and an `iat` not in the future.
struct TimeValidity: Sendable {
    /// Seconds of skew tolerated.
    let leeway: Int

    func check(expiresAt: Int, notBefore: Int?, issuedAt: Int, now: Int) throws(TokenError) {
        guard now < expiresAt + leeway else { throw .expired }
        guard now + leeway >= (notBefore ?? issuedAt) else { throw .notYetValid }
    }
}
