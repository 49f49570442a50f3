import Foundation

/// `GET /api/openapi.json`: the OpenAPI 3.1 document of every public route of
/// all services (`OpenAPI/openapi.json`). `GatewayTests` keeps it true: it
/// compares the document with the routes each running service registers.
enum OpenAPIDocument {
    static let path = "/api/openapi.json"

    static func load() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "OpenAPI") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }
}
