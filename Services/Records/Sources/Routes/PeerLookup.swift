import MusterContracts
import MusterCore
import MusterHTTP
import MusterHTTPClient
import MusterService

extension RecordsRuntime {
    /// `GET path` of a peer service with Records' credential, decoded: nil when the peer
    /// answers `404`, `503` (try again) when it cannot be reached or fails. Records asks
    /// Identity about users and Audit for checkpoints this way; it never reads their databases.
    ///
    /// ```swift
    /// let user = try await services.lookup(AgencyUser.self, at: AgencyUser.path(agency, id), of: .identity, request: request)
    /// ```
    func lookup<Value: Decodable>(_ type: Value.Type, at path: String, of service: ServiceName,
                                  request: HTTPRequest) async throws -> Value? {
        let response: HTTPClientResponse
        do {
            response = try await peers.send(service, .get, path, requestID: request.id)
        } catch {
            request.context.logger.warning("\(service.rawValue) unreachable", ["error": "\(error)"])
            throw HTTPError.unavailable(retryAfter: 2, message: "\(service.rawValue.capitalized) could not be reached; try again shortly.")
        }
        if response.status == .notFound { return nil }
        guard response.isSuccess else {
            throw HTTPError.unavailable(retryAfter: 2, message: "\(service.rawValue.capitalized) could not answer; try again shortly.")
        }
        return try JSONCoding.decode(Value.self, from: response.body)
    }
}
