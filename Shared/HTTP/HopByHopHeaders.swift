extension HTTPHeaders {
    /// Fields that describe one connection, not the message (RFC 9110 §7.6.1),
    /// plus those a forwarder writes itself (`Host`, framing, `Expect`): never
    /// passed on from one hop to the next.
    ///
    /// ```swift
    /// headers.removeAll { name, _ in HTTPHeaders.isHopByHop(name) }
    /// ```
    public static func isHopByHop(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2: equalsIgnoringCase(name, "te")
        case 4: equalsIgnoringCase(name, "host")
        case 6: equalsIgnoringCase(name, "expect")
        case 7: equalsIgnoringCase(name, "upgrade") || equalsIgnoringCase(name, "trailer")
        case 10: equalsIgnoringCase(name, "connection") || equalsIgnoringCase(name, "keep-alive")
        case 14: equalsIgnoringCase(name, "content-length")
        case 16: equalsIgnoringCase(name, "proxy-connection")
        case 17: equalsIgnoringCase(name, "transfer-encoding")
        case 18: equalsIgnoringCase(name, "proxy-authenticate")
        case 19: equalsIgnoringCase(name, "proxy-authorization")
        default: false
        }
    }
}
