/// Names one value a request's context can carry for the layers inside the one
/// that set it (``RequestExtensions``); the key's type is the name, and fixes the
/// value's type, so no string and no cast appear at the call sites.
///
/// ```swift
/// enum PrincipalKey: RequestContextKey { typealias Value = any Principal }
/// ```
public protocol RequestContextKey {
    associatedtype Value: Sendable
}

/// Values that middleware hands the layers inside it — the verified caller (set
/// by the auth layer), a record a middleware already loaded — so that a route
/// reads them instead of loading them again. The transport defines no keys of
/// its own: what a value means belongs to the layer that declares its key.
///
/// A value type, like the context: a value set on a copy of the request reaches
/// the handlers that copy is passed to. A request carries a handful at most, so
/// they sit in a short list searched by key; an empty one allocates nothing.
///
/// ```swift
/// var request = request
/// request.context.extensions[PrincipalKey.self] = principal   // the auth middleware
/// return try await next(request)
///
/// let caller = request.context.extensions[PrincipalKey.self]  // the route behind it
/// ```
public struct RequestExtensions: Sendable {
    private struct Entry: Sendable {
        let key: ObjectIdentifier
        var value: any Sendable
    }

    private var entries: [Entry] = []

    public init() {}

    public subscript<Key: RequestContextKey>(key: Key.Type) -> Key.Value? {
        get {
            let id = ObjectIdentifier(key)
            for entry in entries where entry.key == id { return entry.value as? Key.Value }
            return nil
        }
        set {
            let id = ObjectIdentifier(key)
            let index = entries.firstIndex { $0.key == id }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append(Entry(key: id, value: value))
            case (nil, nil): break
            }
        }
    }
}
