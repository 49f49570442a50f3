import AuditService
import Foundation
import MusterContracts
import MusterCore
import MusterCrypto
import Testing

/// The verification rules on chains built in memory (the database tests repeat
/// the tampering against PostgreSQL as a superuser).
@Suite struct ChainVerifierTests {
    let key = AuditSigningKey(privateKey: Ed25519.PrivateKey())

    func verify(_ events: [ChainedEvent], head: Int64? = nil, start: ChainLink = .genesis,
                checkpoints: [Checkpoint] = []) -> ChainVerifier.Report {
        var verifier = ChainVerifier(start: start, head: head ?? events.last?.seq ?? 0, checkpoints: checkpoints)
        for event in events { verifier.check(event) }
        return verifier.finish()
    }

    func checkpoint(_ event: ChainedEvent) -> Checkpoint {
        Checkpoint.sign(ChainLink(seq: event.seq, hash: event.hash, recordedAt: event.recordedAt), of: event.record.chain,
                        kind: .periodic, at: .now(), with: key)
    }

    @Test func anIntactChainVerifies() {
        let events = EventSamples.chain(10)
        #expect(events.map(\.seq) == Array(1...10))
        #expect(events[0].prevHash == ChainLink.genesis.hash)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.hash == $1.prevHash })
        let report = verify(events, checkpoints: [checkpoint(events[4]), checkpoint(events[9])])
        #expect(report == .init(ok: true, events: 10, firstBrokenSeq: nil, checkpoints: 2))
        #expect(verify([]) == .init(ok: true, events: 0, firstBrokenSeq: nil, checkpoints: 0))
    }

    @Test func aChangedFieldIsFoundAtItsSeq() {
        var events = EventSamples.chain(10)
        events[3].record.outcome = "failure"
        #expect(verify(events).firstBrokenSeq == 4)
        events = EventSamples.chain(10)
        events[6].record.chain = .agency(AgencyID())
        #expect(verify(events).firstBrokenSeq == 7, "an event moved in from another chain")
    }

    @Test func aDeletedEventIsFoundAtTheMissingSeq() {
        var events = EventSamples.chain(10)
        events.remove(at: 4)
        #expect(verify(events, head: 10).firstBrokenSeq == 5)
        events = EventSamples.chain(10)
        events.removeLast(2)
        #expect(verify(events, head: 10).firstBrokenSeq == 9, "a lost tail")
    }

    @Test func anInsertionBehindTheServicesBackIsFound() {
        let events = EventSamples.chain(10)
        let forged = ChainLinker.link(EventSamples.records(1, chain: events[0].record.chain), after:
            ChainLink(seq: 10, hash: events[9].hash, recordedAt: events[9].recordedAt), at: .now())
        #expect(verify(events + forged, head: 10).firstBrokenSeq == 11, "well-formed, but beyond the recorded head")
    }

    @Test func aRewrittenTailIsCaughtByACheckpoint() {
        let events = EventSamples.chain(10)
        let kept = checkpoint(events[7])
        // Everything from seq 5 re-linked with consistent hashes: only a checkpoint can tell.
        let rewritten = Array(events.prefix(4)) + ChainLinker.link(EventSamples.records(6, chain: events[0].record.chain),
                                                                    after: ChainLink(seq: 4, hash: events[3].hash, recordedAt: events[3].recordedAt),
                                                                    at: .now())
        #expect(verify(rewritten).ok)
        let report = verify(rewritten, checkpoints: [kept])
        #expect(report.firstBrokenSeq == 8)
        #expect(report.checkpoints == 1)
    }

    @Test func verificationStartsAtARetentionCut() {
        let events = EventSamples.chain(10)
        let cut = ChainLink(seq: 6, hash: events[5].hash, recordedAt: events[5].recordedAt)
        #expect(verify(Array(events.dropFirst(6)), start: cut).ok)
        #expect(verify(Array(events.dropFirst(7)), start: cut).firstBrokenSeq == 7)
    }

    @Test func checkpointsSignWhatTheySayAndNothingElse() throws {
        let event = EventSamples.chain(3)[2]
        let signed = checkpoint(event)
        #expect(signed.isValid(with: key.privateKey.publicKey))
        #expect(!signed.isValid(with: Ed25519.PrivateKey().publicKey))
        var altered = signed
        altered.seq = 2
        #expect(!altered.isValid(with: key.privateKey.publicKey))
        #expect(key.kid == AuditSigningKey.kid(of: key.privateKey.publicKey))
        let document = try JSONCoding.decode(CheckpointDocument.self, from: signed.json.bytes)
        #expect(document.checkpoint(of: event.record.chain) == signed)
        #expect(document.checkpoint(of: .platform) == nil, "another chain's checkpoint")
    }

    @Test func pythonVerifiesTheSignatureWithTheThumbprintKid() throws {
        let signed = checkpoint(EventSamples.chain(1)[0])
        let jwks = #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"\#(Base64URL.encode(key.privateKey.publicKey.rawRepresentation))","kid":"\#(key.kid)"}]}"#
        let script = """
            lines = sys.stdin.read().split('\\n')
            keys = v.load_keys(json.loads(lines[0]))
            cp = v.loads(lines[1])
            bad = dict(cp); bad['hash'] = '00' * 32
            print(v.signature_holds(cp, keys), v.signature_holds(bad, keys))
            """
        #expect(try PythonOracle.run(script, input: jwks + "\n" + signed.json.text) == "True False")
    }
}
