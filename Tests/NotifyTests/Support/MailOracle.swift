import Foundation
import MusterCore
import MusterTestSupport

/// Python's email package reading messages Notify wrote: an independent check of
/// headers, encodings and MIME structure (`Fixtures/parse_mail.py`).
struct ParsedMail: Decodable {
    struct Part: Decodable {
        var content: String
        var charset: String?
        var encoding: String?
    }

    var subject: String
    var from: String
    var fromName: String
    var fromAddress: String
    var to: String
    var toName: String
    var toAddress: String
    var replyTo: String?
    var messageID: String
    var date: String
    var dateParsed: String?
    var contentType: String
    var headerNames: [String]
    var parts: [String: Part]
    var defects: [String]
    var maxLineOctets: Int
    var crlfOnly: Bool

    var text: String? { parts["text/plain"]?.content }
    var html: String? { parts["text/html"]?.content }
}

enum MailOracle {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Parses the given `.eml` files.
    static func parse(_ files: [URL]) throws -> [ParsedMail] {
        guard !files.isEmpty else { return [] }
        let result = try Command.run("/usr/bin/python3", [fixtures.appendingPathComponent("parse_mail.py").path] + files.map(\.path))
        guard result.status == 0 else { throw FixtureFailure("parse_mail.py exited \(result.status): \(result.stderr)") }
        return try JSONCoding.decode([ParsedMail].self, from: Array(result.stdout.utf8))
    }

    /// Parses one message given as bytes.
    static func parse(_ bytes: [UInt8]) throws -> ParsedMail {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("notify-oracle-\(UUID().uuidString).eml")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try parse([file])[0]
    }
}

/// A test fixture (a Python helper, a server) did not do its part.
struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
