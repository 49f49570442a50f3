import Foundation
import MusterCore

/// Parses the canonical 36-character UUID form (either case) straight from its
/// UTF-8: three ids per new token made `UUID(uuidString:)` a visible part of
/// verification's cost (it goes through `sscanf`); Audit's ingest reads ids with it too.
///
/// ```swift
/// UUIDText.parse("9f0c2b1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b")   // a UUID; nil for anything else
/// ```
public enum UUIDText {
    public static func parse(_ text: String) -> UUID? {
        text.withUTF8Bytes { UUID(canonicalUTF8: $0) }
    }
}
