import Foundation

/// The file name an upload's `Content-Disposition` gives (`filename*=UTF-8''…`
/// preferred over `filename="…"`), reduced to a safe last path component: no
/// directories, no control characters, at most 255 bytes.
///
/// ```swift
/// AttachmentFileName.from(contentDisposition: "attachment; filename=\"range card.pdf\"")   // "range card.pdf"
/// AttachmentFileName.from(contentDisposition: "inline; filename*=UTF-8''Z%C3%BCrich.pdf")   // "Zürich.pdf"
/// AttachmentFileName.from(contentDisposition: "attachment; filename=\"../../etc/passwd\"")  // "passwd"
/// ```
enum AttachmentFileName {
    static let maximumBytes = 255

    static func from(contentDisposition: String?) -> String? {
        guard let contentDisposition else { return nil }
        var plain: String?, extended: String?
        for parameter in parameters(contentDisposition) {
            switch parameter.name {
            case "filename*":
                let parts = parameter.value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3, parts[0].lowercased() == "utf-8" { extended = String(parts[2]).removingPercentEncoding }
            case "filename":
                plain = parameter.value
            default:
                continue
            }
        }
        return (extended ?? plain).flatMap(sanitized)
    }

    /// `name=value` pairs after the disposition type; a quoted value may hold `;` and `\"`.
    private static func parameters(_ text: String) -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        var scalars = Substring(text).unicodeScalars[...]
        guard let firstSemicolon = scalars.firstIndex(of: ";") else { return [] }
        scalars = scalars[scalars.index(after: firstSemicolon)...]
        while !scalars.isEmpty {
            let nameEnd = scalars.firstIndex(of: "=") ?? scalars.endIndex
            let name = String(String.UnicodeScalarView(scalars[..<nameEnd])).trimmingCharacters(in: .whitespaces).lowercased()
            guard nameEnd < scalars.endIndex else { break }
            scalars = scalars[scalars.index(after: nameEnd)...].drop { $0 == " " || $0 == "\t" }
            var value = String.UnicodeScalarView()
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                while let scalar = scalars.first, scalar != "\"" {
                    scalars = scalars.dropFirst()
                    if scalar == "\\", let escaped = scalars.first {
                        value.append(escaped)
                        scalars = scalars.dropFirst()
                    } else {
                        value.append(scalar)
                    }
                }
                scalars = scalars.dropFirst()
            }
            let rest = scalars.firstIndex(of: ";") ?? scalars.endIndex
            value.append(contentsOf: scalars[..<rest])
            result.append((name, String(value).trimmingCharacters(in: .whitespaces)))
            scalars = rest < scalars.endIndex ? scalars[scalars.index(after: rest)...] : scalars[scalars.endIndex...]
        }
        return result
    }

    private static func sanitized(_ name: String) -> String? {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var clean = String(String.UnicodeScalarView(last.unicodeScalars.filter { !($0.properties.generalCategory == .control) }))
            .trimmingCharacters(in: .whitespaces)
        while clean.utf8.count > maximumBytes { clean.removeFirst() }
        return clean.isEmpty || clean == "." || clean == ".." ? nil : clean
    }
}
