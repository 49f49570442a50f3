/// What the peer's `/echo` endpoint saw.
struct Echo: Decodable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: String
}
