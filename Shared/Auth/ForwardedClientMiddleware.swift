import Foundation
import MusterCore
import MusterHTTP

/// Trusts `X-Forwarded-For` only from the Gateway.
///
/// The Gateway forwards a user's request with the user's token in
/// `Authorization` and its own service credential (audience: this service) in
/// `X-Muster-Service-Credential`. When that credential is valid and names the
/// Gateway, `request.context.clientAddress` becomes the first address of
/// `X-Forwarded-For` (which the Gateway sets from the socket). Without the
/// header, the address stays the TCP peer's; with an invalid one: `401`.
///
/// ```swift
/// router.use(ForwardedClientMiddleware(verifier: credentials.verifier))
/// // Gateway side:
/// forwarded.headers[ForwardedClientMiddleware.credentialHeader] = credentials.signer.credential(for: .records)
/// ```
public struct ForwardedClientMiddleware: Middleware {
    public static let credentialHeader = "X-Muster-Service-Credential"

    public let verifier: ServiceCredentialVerifier

    public init(verifier: ServiceCredentialVerifier) { self.verifier = verifier }

    public nonisolated(nonsending) func handle(_ request: HTTPRequest, next: Handler) async throws -> HTTPResponse {
        guard let credential = request.headers[Self.credentialHeader] else { return try await next(request) }
        let caller: ServiceName
        do {
            caller = try verifier.verify(credential)
        } catch {
            request.context.logger.warning("forwarding credential refused", ["reason": error.description])
            throw HTTPError.unauthorized("The forwarding credential is invalid.", code: "invalid_service_credential")
        }
        guard caller == .gateway else { throw HTTPError.forbidden("Only the gateway forwards client requests.") }
        var request = request
        if let client = Self.firstAddress(request.headers["X-Forwarded-For"]) { request.context.clientAddress = client }
        return try await next(request)
    }

    /// The first entry of an `X-Forwarded-For` value, if it is an IPv4 or IPv6 address.
    static func firstAddress(_ value: String?) -> String? {
        guard let first = value?.split(separator: ",", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces),
              !first.isEmpty else { return nil }
        var buffer = in6_addr()
        let valid = inet_pton(AF_INET, first, &buffer) == 1 || inet_pton(AF_INET6, first, &buffer) == 1
        return valid ? first : nil
    }
}
