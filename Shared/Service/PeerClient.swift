import MusterAuth
import MusterCore
import MusterHTTP
import MusterHTTPClient

/// Calls another Muster service: picks an instance from the `PeerDirectory`, signs
/// the call with this service's credential for that audience, passes the request id on.
///
/// ```swift
/// let reply = try await context.peers.json(.records, .put, "/internal/agencies/\(id)",
///                                          body: ProvisionAgencyRequest(slug: s, name: n),
///                                          as: ProvisionAgencyResponse.self, requestID: request.id)
/// ```
public struct PeerClient: Sendable {
    let directory: PeerDirectory
    let client: HTTPClient
    let signer: ServiceCredentialSigner

    public init(directory: PeerDirectory, client: HTTPClient, signer: ServiceCredentialSigner) {
        self.directory = directory
        self.client = client
        self.signer = signer
    }

    /// Sends a request to one instance of `service`.
    public func send(_ service: ServiceName, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = HTTPHeaders(),
                     body: [UInt8] = [], requestID: String? = nil) async throws -> HTTPClientResponse {
        var headers = headers
        headers["Authorization"] = "Bearer " + signer.credential(for: service)
        if let requestID { headers[InternalHeaders.requestID] = requestID }
        if !body.isEmpty, headers["Content-Type"] == nil { headers["Content-Type"] = "application/json" }
        return try await client.send(HTTPClientRequest(method: method, url: directory.url(for: service) + path,
                                                       headers: headers, body: body))
    }

    /// Sends `body` as JSON and decodes a 2xx JSON answer; any other status throws `PeerError`.
    public func json<Body: Encodable & Sendable, Response: Decodable>(
        _ service: ServiceName, _ method: HTTPMethod, _ path: String, body: Body, as type: Response.Type,
        requestID: String? = nil
    ) async throws -> Response {
        let response = try await send(service, method, path, body: try JSONCoding.encode(body), requestID: requestID)
        guard response.isSuccess else {
            throw PeerError(service: service, path: path, status: response.status.rawValue,
                            body: String(decoding: response.body.prefix(512), as: UTF8.self))
        }
        return try JSONCoding.decode(type, from: response.body)
    }
}

extension PeerClient {
    /// `GET`s `path` and decodes a 2xx JSON answer; any other status throws `PeerError`.
    public func get<Response: Decodable>(_ service: ServiceName, _ path: String, as type: Response.Type,
                                         requestID: String? = nil) async throws -> Response {
        let response = try await send(service, .get, path, requestID: requestID)
        guard response.isSuccess else {
            throw PeerError(service: service, path: path, status: response.status.rawValue,
                            body: String(decoding: response.body.prefix(512), as: UTF8.self))
        }
        return try JSONCoding.decode(type, from: response.body)
    }
}

/// A peer service answered with a non-2xx status.
public struct PeerError: Error, CustomStringConvertible {
    public let service: ServiceName
    public let path: String
    public let status: Int
    public let body: String
    public var description: String { "\(service.rawValue) \(path) answered \(status): \(body)" }
}
