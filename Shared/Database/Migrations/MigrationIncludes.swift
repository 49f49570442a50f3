import Foundation

/// Migrations that `Shared` owns and every service's migration set includes:
/// `Includes/agency/agency_settings.sql` (the settings table of every agency
/// schema, ``AgencySettingKey``) and `Includes/platform/outbox.sql` (the
/// outbox of `Shared/Outbox`).
///
/// A service's migration file takes one in with a line of its own, as psql's
/// `\include` does, from the folder of the file's scope:
///
/// ```
/// -- Migrations/agency/0001_agency_settings.sql
/// \include agency_settings.sql
/// ```
///
/// The migration is the file with that line replaced by the shared file's
/// bytes: its SQL and its checksum are those of the expanded text. So a
/// service's file that once held a copy of the shared DDL, rewritten as an
/// include, keeps the checksum its databases recorded, and a shared file, once
/// any migration that includes it has run anywhere, is never edited: a change
/// of it is a new migration, as for any other.
enum MigrationIncludes {
    /// `Includes/` among the module's resources.
    static let folder = Bundle.module.url(forResource: "Includes", withExtension: nil)

    private static let directive = Array("\\include ".utf8)

    /// `bytes` (of the file at `path`, in `scope`) with each `\include name.sql`
    /// line replaced by that shared file; `read` loads a shared file's bytes by scope and name.
    static func expand(_ bytes: [UInt8], path: String, scope: Migration.Scope,
                       read: (Migration.Scope, String) throws -> [UInt8]? = Self.read) throws -> [UInt8] {
        guard bytes.firstRange(of: directive) != nil else { return bytes }
        var expanded: [UInt8] = []
        expanded.reserveCapacity(bytes.count)
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n"))
            let lineEnd = newline.map { $0 + 1 } ?? bytes.endIndex
            let content = bytes[lineStart..<(newline ?? bytes.endIndex)]
            if content.starts(with: directive) {
                let name = String(decoding: content.dropFirst(directive.count), as: UTF8.self)
                guard isValidName(name) else {
                    throw MigrationError.invalidFile(path: path, reason: "\\include expects a shared file name like outbox.sql, not \(name.debugDescription)")
                }
                guard let included = try read(scope, name) else {
                    throw MigrationError.invalidFile(path: path, reason: "\\include \(name): no such shared \(scope.rawValue) migration in Shared/Database/Migrations/Includes/\(scope.rawValue)")
                }
                guard included.firstRange(of: directive) == nil else {
                    throw MigrationError.invalidFile(path: path, reason: "\\include \(name): a shared migration includes nothing itself")
                }
                expanded += included
            } else {
                expanded += bytes[lineStart..<lineEnd]
            }
            lineStart = lineEnd
        }
        return expanded
    }

    /// The shared file's bytes; `nil` when there is none by that name.
    private static func read(_ scope: Migration.Scope, _ name: String) throws -> [UInt8]? {
        guard let url = folder?.appendingPathComponent(scope.rawValue).appendingPathComponent(name),
              FileManager.default.fileExists(atPath: url.path) else { return nil }
        return Array(try Data(contentsOf: url))
    }

    /// `lower_snake.sql`: a plain file name, never a path.
    private static func isValidName(_ name: String) -> Bool {
        guard name.hasSuffix(".sql"), name.utf8.count > 4 else { return false }
        return name.dropLast(4).utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }
}
