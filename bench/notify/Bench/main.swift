import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterCrypto
import MusterHTTP
import MusterHTTPClient

/// Drives one Notify process as Identity's outbox relay would: provisions an
/// agency, hands over MESSAGES messages in batches of 100, and measures how long
/// until the SMTP sink has them all (from the first batch to the last message).
/// Run it again for another round: it waits for that many more.
///
///   bench-notify <notify url> <sink folder> <messages>
/// Environment: the platform's secrets (MUSTER_IDENTITY_SERVICE_KEY).
let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: bench-notify <notify url> <sink folder> <messages>\n".utf8))
    exit(2)
}
let notify = arguments[1]
let deliveries = URL(fileURLWithPath: arguments[2]).appendingPathComponent("deliveries.jsonl")

let key = try Ed25519.PrivateKey(rawRepresentation: try Base64.decode(ProcessInfo.processInfo.environment["MUSTER_IDENTITY_SERVICE_KEY"] ?? ""))
let signer = ServiceCredentialSigner(service: .identity, privateKey: key)
let client = HTTPClient()

func call(_ method: HTTPMethod, _ path: String, _ body: some Encodable) async throws -> HTTPClientResponse {
    let response = try await client.send(HTTPClientRequest(
        method: method, url: notify + path,
        headers: ["Authorization": "Bearer " + signer.credential(for: .notify), "Content-Type": "application/json"],
        body: try JSONCoding.encode(body)))
    guard response.isSuccess else { throw BenchFailure("\(path) answered \(response.status.rawValue)") }
    return response
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// Provisioning is idempotent: every round uses the same agency.
let agency = AgencyID(string: "0d5c2a5e-7a34-4b8e-9c1f-5b7e3f6a9d21")!
_ = try await call(.put, "/internal/agencies/\(agency)", ProvisionAgencyRequest(slug: "bench-pd", name: "Bench Police Department"))
// What Identity sends most: security notices; every fifth one an invitation with a token.
let messages = (0..<count).map { index in
    EmailRequest(agencyID: agency, template: index % 5 == 0 ? "invitation" : "password_changed",
                 recipient: EmailRecipient(userID: UserID(), address: "officer\(index)@bench.example", name: "Officer Nº \(index)"),
                 data: index % 5 == 0 ? ["token": "mit.\(agency.hex).\(Base64URL.encode(SecureRandom.bytes(32)))", "expires_in_hours": "72"] : [:])
}

/// Counts the sink's deliveries, reading only what it appended since the last
/// look: rereading the whole log every 20 ms would cost this process CPU that the
/// measurement charges to Notify.
final class DeliveryCounter {
    private var handle: FileHandle?
    private(set) var count = 0

    func delivered() -> Int {
        if handle == nil { handle = FileHandle(forReadingAtPath: deliveries.path) }
        while let chunk = try? handle?.read(upToCount: 1 << 16), !chunk.isEmpty {
            count += chunk.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
        return count
    }
}

let counter = DeliveryCounter()
let before = counter.delivered()
let started = ContinuousClock.now
for batch in stride(from: 0, to: count, by: 100) {
    let response = try await call(.post, "/internal/messages", EmailBatch(messages: Array(messages[batch..<min(batch + 100, count)])))
    let accepted = try JSONCoding.decode(AcceptedIDs.self, from: response.body).accepted.count
    guard accepted == min(100, count - batch) else { throw BenchFailure("only \(accepted) messages accepted") }
}
let handedOver = ContinuousClock.now - started
while counter.delivered() - before < count {
    guard ContinuousClock.now - started < .seconds(300) else { throw BenchFailure("only \(counter.delivered() - before) of \(count) messages arrived") }
    try await Task.sleep(for: .milliseconds(20))
}
let elapsed = ContinuousClock.now - started
await client.shutdown()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let intake = Double(handedOver.components.seconds) + Double(handedOver.components.attoseconds) / 1e18
print(String(format: "{\"messages\": %d, \"seconds\": %.3f, \"per_second\": %.1f, \"intake_seconds\": %.3f}", count, seconds,
             Double(count) / seconds, intake))
