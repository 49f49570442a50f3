import Foundation

/// The media type of a `Content-Type` field, parameters and case aside (RFC 9110 §8.3.1).
///
/// ```swift
/// MediaType.essence(of: "Text/Markdown; charset=utf-8")   // "text/markdown"
/// ```
enum MediaType {
    static func essence(of contentType: String) -> String {
        (contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}
