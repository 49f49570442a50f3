import MusterCore

/// One parsed HTTP request, body fully read (within the route's limit).
///
/// A value type whose fields live in one copy-on-write box: a request is handed
/// from the connection to its handler task, through the router and every
/// middleware, and copying one reference is far cheaper than copying a dozen.
public struct HTTPRequest: Sendable {
    // Inlinable accessors: another module reading `request.context.route` would
    // otherwise get a copy of the whole context (a dozen retains) from the getter.
    @usableFromInline var storage: RequestStorage

    public init(method: HTTPMethod, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
                context: RequestContext = RequestContext()) {
        storage = RequestStorage(method: method, target: target, headers: headers, body: body, context: context)
    }

    @inlinable public var method: HTTPMethod {
        _read { yield storage.method }
        _modify { yield &unique.method }
    }

    /// The request target as sent: always an absolute path, optionally with a query.
    @inlinable public var target: String {
        _read { yield storage.target }
        _modify { yield &unique.target }
    }

    @inlinable public var headers: HTTPHeaders {
        _read { yield storage.headers }
        _modify { yield &unique.headers }
    }

    @inlinable public var body: [UInt8] {
        _read { yield storage.body }
        _modify { yield &unique.body }
    }

    /// Per-request state set by the server and middleware (request id, caller, route…).
    @inlinable public var context: RequestContext {
        _read { yield storage.context }
        _modify { yield &unique.context }
    }

    /// Sets what only the server knows on a request it has just made, in the
    /// request's own box (not yet shared): a context held in a variable would be
    /// copied into the box (a dozen retains) and released.
    package func attach(loop: any AnyObject & Sendable, connection: ConnectionMemory) {
        storage.context.loop = loop
        storage.context.connection = connection
    }

    /// The box, copied first if another value shares it.
    @usableFromInline var unique: RequestStorage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// The target's path, without the query.
    @inlinable public var path: Substring {
        guard let mark = queryMark else { return storage.target[...] }
        return storage.target[..<mark]
    }

    /// The raw query string (after `?`), or empty.
    public var queryString: Substring {
        guard let mark = queryMark else { return "" }
        return target[target.utf8.index(after: mark)...]
    }

    /// Where the target's `?` is (found once per target: the path is asked for several times per request).
    @inlinable var queryMark: String.Index? {
        guard let offset = storage.queryOffset else { return nil }
        return storage.target.utf8.index(storage.target.utf8.startIndex, offsetBy: offset)
    }

    /// Decoded query parameters (`+` is a space, percent-escapes decoded); last one wins.
    public var query: [String: String] {
        var items: [String: String] = [:]
        for pair in queryString.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], plusIsSpace: true) else { continue }
            let value = parts.count > 1 ? PercentDecoding.decode(parts[1], plusIsSpace: true) : ""
            if let value { items[name] = value }
        }
        return items
    }

    /// A path parameter matched by the router, e.g. `id` for `/users/{id}`.
    public func parameter(_ name: String) -> String? { context.parameters[name] }

    /// The request id (from a well-formed `X-Request-Id`, else generated).
    @inlinable public var id: String { context.requestID }
}

/// Percent-decoding for paths and query strings; `nil` for malformed escapes, an escaped NUL or invalid UTF-8.
public enum PercentDecoding {
    public static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                // PostgreSQL text cannot hold NUL: bound, `a%00b` would silently become `a`.
                guard high | low != 0 else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The fields of an `HTTPRequest`. Mutated only through `HTTPRequest.unique`,
/// that is only while exactly one value refers to it; a shared box is never
/// written, which is what makes handing it across threads safe.
@usableFromInline final class RequestStorage: @unchecked Sendable {
    @usableFromInline var method: HTTPMethod
    @usableFromInline var target: String {
        didSet { queryOffset = Self.queryOffset(of: target) }
    }
    /// The UTF-8 offset of the target's `?`, if any.
    @usableFromInline private(set) var queryOffset: Int?
    @usableFromInline var headers: HTTPHeaders
    @usableFromInline var body: [UInt8]
    @usableFromInline var context: RequestContext

    init(method: HTTPMethod, target: String, headers: HTTPHeaders, body: [UInt8], context: RequestContext) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.context = context
        queryOffset = Self.queryOffset(of: target)
    }

    /// Searched as contiguous bytes: a Character search costs more than the rest of a route lookup.
    private static func queryOffset(of target: String) -> Int? {
        target.withUTF8Bytes { $0.firstIndex(of: UInt8(ascii: "?")) }
    }

    @usableFromInline func copy() -> RequestStorage {
        RequestStorage(method: method, target: target, headers: headers, body: body, context: context)
    }
}
