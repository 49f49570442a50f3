import MusterAuth
import MusterContracts
import MusterCore
import MusterHTTPClient

/// Fetches Identity's public signing keys (`/.well-known/jwks.json`) for a
/// `TokenVerifier`; the verifier caches them and refetches on an unknown `kid`.
public struct IdentityKeySource: KeySource {
    let directory: PeerDirectory
    let client: HTTPClient

    public init(directory: PeerDirectory, client: HTTPClient) {
        self.directory = directory
        self.client = client
    }

    public func fetchKeys() async throws -> JWKSet {
        let url = directory.url(for: .identity) + AccessTokenConventions.jwksPath
        let response = try await client.send(HTTPClientRequest(method: .get, url: url)).requireSuccess()
        return try JWKSet.decode(response.body)
    }
}
