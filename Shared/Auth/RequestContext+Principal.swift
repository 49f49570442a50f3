import MusterHTTP

/// The verified caller rides in the request context's extensions under this key:
/// the auth middleware sets it, the routes behind it read it.
enum PrincipalKey: RequestContextKey {
    typealias Value = Principal
}

extension RequestContext {
    /// The verified caller, once an auth middleware has run (`UserAuthMiddleware`,
    /// `ServiceAuthMiddleware`).
    ///
    /// ```swift
    /// let user = try request.context.requireUser(anyOf: [.agencyAdmin])
    /// ```
    public var principal: Principal? {
        get { extensions[PrincipalKey.self] }
        set { extensions[PrincipalKey.self] = newValue }
    }

    /// The calling user, or `401` when the request carries none.
    public func requireUser() throws(HTTPError) -> UserPrincipal {
        guard let user = principal?.user else { throw .unauthorized() }
        return user
    }

    /// The calling user holding at least one of `roles`, else `403`.
    public func requireUser(anyOf roles: Set<Role>) throws(HTTPError) -> UserPrincipal {
        let user = try requireUser()
        guard !user.roles.isDisjoint(with: roles) else {
            throw HTTPError(.forbidden, code: "forbidden", message: "Your role does not allow this.")
        }
        return user
    }
}
