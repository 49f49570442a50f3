import Foundation
import MusterContracts
import MusterCore
import MusterService

/// Audit's admin subcommands.
///
/// ```sh
/// audit verify --agency metro-pd [--checkpoints kept.json]   # exit 0 intact, 1 broken
/// audit checkpoint --agency metro-pd                          # sign one now, print it
/// audit rotate-key                                            # new signing key; old one stays published
/// ```
enum AuditCommands {
    static let all: [ServiceCommand<AuditRuntime>] = [verify, checkpoint, rotateKey]

    static let verify = ServiceCommand<AuditRuntime>(
        name: "verify", summary: "--agency SLUG [--checkpoints FILE]: recompute the chain, check checkpoints (exit 1 if broken)"
    ) { audit, arguments in
        let options = CommandOptions(arguments)
        guard let slug = options["--agency"] else { return usage("verify --agency SLUG [--checkpoints FILE]") }
        guard let chain = try await chain(slug, audit: audit) else { return 3 }
        var supplied: [CheckpointDocument] = []
        if let file = options["--checkpoints"] {
            supplied = try JSONCoding.decode([CheckpointDocument].self, from: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        }
        let report = try await audit.verification.verify(chain, supplied: supplied)
        print(String(decoding: try JSONCoding.encode(report), as: UTF8.self))
        await audit.recordVerification(report, of: chain, actor: .service(.audit), source: nil, reason: "audit verify command",
                                       logger: audit.context.logger)
        return report.ok ? 0 : 1
    }

    static let checkpoint = ServiceCommand<AuditRuntime>(
        name: "checkpoint", summary: "--agency SLUG: sign a checkpoint at the head now"
    ) { audit, arguments in
        guard let slug = CommandOptions(arguments)["--agency"] else { return usage("checkpoint --agency SLUG") }
        guard let chain = try await chain(slug, audit: audit) else { return 3 }
        guard let checkpoint = try await audit.checkpointer.checkpoint(chain, kind: .onDemand) else {
            FileHandle.standardError.write(Data("the audit trail of \(slug) has no events yet\n".utf8))
            return 1
        }
        print(checkpoint.json.text)
        return 0
    }

    static let rotateKey = ServiceCommand<AuditRuntime>(name: "rotate-key", summary: "make a new checkpoint-signing key active") { audit, _ in
        let key = try await audit.keys.rotate()
        print(key.kid)
        return 0
    }

    private static func chain(_ slug: String, audit: AuditRuntime) async throws -> AuditChain? {
        let chains = try await audit.registry.chains(slug: slug)
        guard chains.count == 1 else {
            let problem = chains.isEmpty ? "no agency with slug \(slug) is provisioned in audit" : "several agencies have slug \(slug)"
            FileHandle.standardError.write(Data("\(problem)\n".utf8))
            return nil
        }
        return chains[0]
    }

    private static func usage(_ text: String) -> Int32 {
        FileHandle.standardError.write(Data("usage: audit \(text)\n".utf8))
        return 2
    }
}
