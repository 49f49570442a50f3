import MusterCore
import MusterHTTP

/// The header rewriting of the proxy, both ways.
///
/// Toward a service: any field the `Connection` header names is dropped (the
/// fixed hop-by-hop fields of RFC 9110 §7.6.1 are dropped by the upstream
/// encoder, for every upstream request), and so is everything the Gateway
/// asserts itself — `X-Forwarded-*`, `Forwarded`, `X-Real-IP`, `X-Request-Id`
/// and the internal `X-Muster-*` namespace — before it sets its own values.
/// Back to the client: hop-by-hop fields are dropped; the server writes the framing.
enum ForwardedHeaders {
    static func toUpstream(_ incoming: HTTPHeaders, clientAddress: String, proto: String, requestID: String,
                           credential: HTTPHeaders.Field) -> HTTPHeaders {
        let nominated = connectionNominated(incoming)
        // Built afresh at its final size: editing the incoming copy would copy it, then grow it.
        var headers = HTTPHeaders()
        headers.reserveCapacity(incoming.count + 4)
        headers.append(contentsOf: incoming) { name in !isAsserted(name) && !nominated.contains(name) }
        headers.add(InternalHeaders.forwardedFor, clientAddress)
        headers.add(InternalHeaders.forwardedProto, proto)
        headers.add(InternalHeaders.requestID, requestID)
        headers.add(credential)
        return headers
    }

    static func toClient(_ upstream: HTTPHeaders) -> HTTPHeaders {
        let nominated = connectionNominated(upstream)
        var headers = upstream
        headers.removeAll { name, _ in HTTPHeaders.isHopByHop(name) || nominated.contains(name) }
        return headers
    }

    /// Field names listed in `Connection` (besides the usual `keep-alive`/`close`), lower-cased.
    private struct Nominated {
        var names: [String] = []

        func contains(_ name: String) -> Bool {
            !names.isEmpty && names.contains { HTTPHeaders.equalsIgnoringCase($0, name) }
        }
    }

    private static func connectionNominated(_ headers: HTTPHeaders) -> Nominated {
        guard let value = headers["Connection"] else { return Nominated() }
        var nominated = Nominated()
        for member in value.split(separator: ",") {
            let name = member.drop { $0 == " " || $0 == "\t" }
            let trimmed = String(name.prefix { $0 != " " && $0 != "\t" })
            if HTTPHeaders.equalsIgnoringCase(trimmed, "keep-alive") || HTTPHeaders.equalsIgnoringCase(trimmed, "close") { continue }
            nominated.names.append(trimmed)
        }
        return nominated
    }

    /// Fields only the Gateway may set.
    private static func isAsserted(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first else { return false }
        switch first | 0x20 {
        case UInt8(ascii: "x"):
            return hasPrefix(name, "x-forwarded-") || hasPrefix(name, "x-muster-")
                || HTTPHeaders.equalsIgnoringCase(name, "x-real-ip") || HTTPHeaders.equalsIgnoringCase(name, "x-request-id")
        case UInt8(ascii: "f"):
            return HTTPHeaders.equalsIgnoringCase(name, "forwarded")
        default:
            return false
        }
    }

    /// ASCII case-insensitive prefix test against a lower-case literal.
    private static func hasPrefix(_ name: String, _ prefix: StaticString) -> Bool {
        let bytes = name.utf8
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        var index = 0
        for byte in bytes.prefix(prefix.utf8CodeUnitCount) {
            if byte | 0x20 != prefix.utf8Start[index] | 0x20 { return false }
            index += 1
        }
        return true
    }
}
