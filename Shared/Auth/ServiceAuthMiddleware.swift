import MusterCore
import MusterHTTP

/// Requires a valid service credential in `Authorization: Bearer …` (for
/// `/internal/*` routes) and sets `request.context.principal` to `.service(caller)`.
///
/// No or a refused credential: `401`. A valid credential from a service not in
/// `allowedCallers` (when given): `403`.
///
/// ```swift
/// let internalAuth = ServiceAuthMiddleware(verifier: credentials.verifier, allowedCallers: [.identity])
/// router.group("/internal", middleware: [internalAuth]) { internal in … }
/// ```
public struct ServiceAuthMiddleware: Middleware {
    public let verifier: ServiceCredentialVerifier
    public let allowedCallers: Set<ServiceName>?

    public init(verifier: ServiceCredentialVerifier, allowedCallers: Set<ServiceName>? = nil) {
        self.verifier = verifier
        self.allowedCallers = allowedCallers
    }

    public nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        guard let token = BearerToken.from(request.headers["Authorization"]) else { throw BearerToken.challenge(invalid: false) }
        let caller: ServiceName
        do {
            caller = try verifier.verify(String(token))
        } catch {
            request.context.logger.warning("service credential refused", ["reason": error.description])
            throw BearerToken.challenge(invalid: true)
        }
        if let allowedCallers, !allowedCallers.contains(caller) {
            throw HTTPError.forbidden("The \(caller.rawValue) service may not call this.")
        }
        var request = request
        request.context.principal = .service(caller)
        return try await next(request)
    }
}
