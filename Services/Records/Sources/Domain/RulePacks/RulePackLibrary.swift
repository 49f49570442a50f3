import Foundation

/// The rule packs shipped in the Records bundle (`Sources/RulePacks/*.json`).
public enum RulePackLibrary {
    /// Every shipped pack, parsed and validated, by code. Throws on the first file that
    /// does not validate, naming the file and its fields.
    public static func bundled() throws -> [RulePack] {
        guard let folder = Bundle.module.url(forResource: "RulePacks", withExtension: nil) else { return [] }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { file in
            do { return try RulePack.parse(Array(try Data(contentsOf: file))) } catch let error as RequirementParamsError {
                throw RequirementParamsError(errors: error.errors.map {
                    RequirementFieldError(field: "\(file.lastPathComponent): \($0.field)", message: $0.message)
                })
            }
        }
    }
}
