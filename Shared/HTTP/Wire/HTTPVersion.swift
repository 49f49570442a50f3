/// The HTTP/1 versions the server speaks; a later 1.x minor is served as 1.1.
package enum HTTPVersion: Sendable {
    case http10, http11
}
