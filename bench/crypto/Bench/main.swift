import Foundation

/// Crypto benchmarks, one `name value unit` line each (see bench/crypto/run.sh).
/// The optional argument is how many seconds' worth of tokens to verify.
try await Benchmarks.run(seconds: Double(CommandLine.arguments.dropFirst().first ?? "") ?? 3)
