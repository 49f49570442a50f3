/// Header names used between Muster services.
public enum InternalHeaders {
    /// The calling service's credential on requests that also carry a user's token in
    /// `Authorization` (the Gateway forwarding a user request).
    public static let serviceCredential = "X-Muster-Service-Credential"
    public static let requestID = "X-Request-Id"
    public static let forwardedFor = "X-Forwarded-For"
    public static let forwardedProto = "X-Forwarded-Proto"
}
