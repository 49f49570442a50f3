import Foundation
import MusterCore

/// With no SMTP server configured (the demo default), each message becomes
/// `<message id>.eml` in a folder: one file per message, written whole (temporary
/// file, then rename), so a repeated attempt replaces rather than duplicates it.
struct MailDirectoryTransport: MailTransport {
    let folder: URL
    private let threads = BlockingPool(name: "mail-dir", threads: 1)

    init(folder: String) {
        self.folder = URL(fileURLWithPath: folder, isDirectory: true)
    }

    var concurrency: Int { 2 }

    func send(_ message: [UInt8], id: MessageID, from: MailAddress, to: MailAddress,
              startBy: ContinuousClock.Instant) async -> DeliveryOutcome? {
        let folder = folder
        do {
            let started: Bool = try await threads.run {
                guard ContinuousClock.now < startBy else { return false }
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                // `.atomic`: a temporary file renamed into place, so a reader never sees half a message.
                try Data(message).write(to: folder.appendingPathComponent("\(id.description).eml"), options: .atomic)
                return true
            }
            guard started else { return nil }
            return .sent(reply: "written to \(folder.path)/\(id.description).eml")
        } catch {
            return .temporaryFailure(code: nil, reply: "could not write to \(folder.path): \(error.localizedDescription)")
        }
    }

    func shutdown() { threads.shutdown() }
}
