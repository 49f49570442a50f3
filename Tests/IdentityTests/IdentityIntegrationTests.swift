import Testing

/// Every Identity suite that starts real processes, one after another: each hashes
/// passwords with scrypt (128 MiB, ~0.4 s of a core), and a dozen platforms
/// hashing at once on a 2-core machine starve each other past every timeout.
@Suite(.serialized) enum IdentityIntegrationTests {}
