/// Header fields that many responses carry unchanged (a gateway's security
/// headers), encoded once: the server copies their bytes after the response's
/// own fields instead of encoding each field again for every response.
///
/// They are not part of ``HTTPResponse/headers`` (lookups do not see them), and
/// a response carries one such block at most.
///
/// ```swift
/// static let security = ConstantFields([HTTPHeaders.Field("X-Content-Type-Options", "nosniff")!])
/// response.constantFields = Self.security
/// ```
public struct ConstantFields: Sendable {
    /// `Name: value` CRLF, for each field.
    let encoded: [UInt8]

    /// The fields the server writes itself (`Date`, `Content-Length`…) cannot be among them.
    public init(_ fields: [HTTPHeaders.Field]) {
        precondition(!fields.contains { ResponseEncoder.isServerOwned($0.name) }, "the server writes its own framing and identity fields")
        var encoded: [UInt8] = []
        for field in fields { ResponseEncoder.appendField(field.name, field.value, to: &encoded) }
        self.encoded = encoded
    }
}
