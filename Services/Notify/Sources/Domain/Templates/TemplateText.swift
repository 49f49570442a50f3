import Foundation

/// Template text parsed into literal runs and `{{placeholder}}` references.
///
/// ```swift
/// let text = try TemplateText(parsing: "Hello {{ recipient_name }},")
/// text.placeholders                       // ["recipient_name"]
/// text.render { values[$0] ?? "" }        // "Hello Alex,"
/// ```
public struct TemplateText: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case placeholder(String)
    }

    public let segments: [Segment]

    /// Parses `source`; `{{` must open a well-formed reference (`{{ name }}`,
    /// lower-case letters, digits and `_`), anything else is literal text.
    public init(parsing source: String) throws(TemplateTextError) {
        var segments: [Segment] = []
        var rest = source[...]
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw .unclosedPlaceholder(near: String(rest[open.lowerBound...].prefix(24)))
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard Self.isName(name) else { throw .invalidName(String(rest[open.upperBound..<close.lowerBound].prefix(40))) }
            segments.append(.placeholder(name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        self.segments = segments
    }

    /// Every placeholder named, in order of first appearance.
    public var placeholders: [String] {
        var seen: Set<String> = []
        return segments.compactMap { segment in
            guard case .placeholder(let name) = segment, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// The text as an admin writes it, placeholders as `{{name}}`.
    public var source: String { render { "{{\($0)}}" } }

    /// Literal runs as they are, each placeholder replaced by `value(name)`.
    public func render(_ value: (String) -> String) -> String {
        render(literal: { $0 }, placeholder: value)
    }

    /// Literal runs through `literal`, each placeholder through `placeholder`.
    public func render(literal: (String) -> String, placeholder: (String) -> String) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let text): output += literal(text)
            case .placeholder(let name): output += placeholder(name)
            }
        }
        return output
    }

    private static func isName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), name.utf8.count <= 64 else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}

public enum TemplateTextError: Error, Equatable, CustomStringConvertible {
    case unclosedPlaceholder(near: String)
    case invalidName(String)

    public var description: String {
        switch self {
        case .unclosedPlaceholder(let near): "'{{' is not closed by '}}' (near \"\(near)\")"
        case .invalidName(let name): "'{{\(name)}}' is not a placeholder name (lower-case letters, digits and _)"
        }
    }
}
