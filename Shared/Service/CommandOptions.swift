/// The arguments of an admin subcommand: `--name value` pairs and bare `--flag`s.
///
/// ```swift
/// let options = CommandOptions(["--agency", "metro-pd", "--dry-run"])
/// options["--agency"]          // "metro-pd"
/// options.has("--dry-run")     // true
/// ```
public struct CommandOptions: Sendable {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    public init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            if name.hasPrefix("--"), index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                values[name] = arguments[index + 1]
                index += 2
            } else {
                flags.insert(name)
                index += 1
            }
        }
    }

    public subscript(name: String) -> String? { values[name] }

    /// Whether `name` was given without a value.
    public func has(_ name: String) -> Bool { flags.contains(name) }
}
