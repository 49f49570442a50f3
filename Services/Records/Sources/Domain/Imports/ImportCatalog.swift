import Foundation

/// What imported rows are checked against, read from the agency once per import:
/// badge numbers, courses by code, category codes and units by name.
struct ImportCatalog: Sendable {
    struct Course: Sendable {
        let id: UUID
        let title: String
        let hours: QuarterHours
        let categoryHours: [String: Int]
    }

    var people: [String: UUID] = [:]
    var courses: [String: Course] = [:]
    var categories: Set<String> = []
    /// Units by name; a name two units share maps to nil (ambiguous).
    var units: [String: UUID?] = [:]
}
