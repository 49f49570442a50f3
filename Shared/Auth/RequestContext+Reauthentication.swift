import MusterCore
import MusterHTTP
import MusterTime

extension RequestContext {
    /// The calling user, who must have proved a credential within the last `seconds`
    /// (the access token's `auth_time`); else `401 reauthentication_required`, which
    /// `POST /api/v1/auth/reauthenticate` answers with a fresh token.
    ///
    /// ```swift
    /// let user = try request.context.requireRecentAuthentication(within: 300)
    /// ```
    public func requireRecentAuthentication(within seconds: Int, now: Int = Timestamp.nowSeconds) throws(HTTPError) -> UserPrincipal {
        let user = try requireUser()
        guard user.authenticated(within: seconds, now: now) else {
            throw HTTPError(.unauthorized, code: "reauthentication_required",
                            message: "Confirm your password or code first (POST /api/v1/auth/reauthenticate).")
        }
        return user
    }
}
