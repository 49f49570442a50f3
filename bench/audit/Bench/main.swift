import AuditService
import Foundation
import MusterCore
import MusterDatabase

// bench-audit: ingest (chained vs plain INSERT … SELECT) and query latency on one
// agency with a million events. Run through bench/audit/run.sh, which starts the cluster.
let environment = ProcessInfo.processInfo.environment
guard let adminURL = environment["BENCH_ADMIN_URL"], let auditBinary = environment["AUDIT_BIN"] else {
    FileHandle.standardError.write(Data("usage: BENCH_ADMIN_URL=… AUDIT_BIN=… bench-audit (see bench/audit/run.sh)\n".utf8))
    exit(2)
}
let ingestEvents = Int(environment["INGEST_EVENTS"] ?? "") ?? 20_000
let queryEvents = Int(environment["QUERY_EVENTS"] ?? "") ?? 1_000_000
let samples = Int(environment["QUERY_SAMPLES"] ?? "") ?? 100
let port = Int(environment["BENCH_AUDIT_PORT"] ?? "") ?? 18_083

func line(_ name: String, _ value: Double, _ unit: String, _ note: String = "") {
    print(name.padding(toLength: 40, withPad: " ", startingAt: 0), String(format: "%12.2f", value), unit, note)
}

let platform = try await BenchPlatform.start(adminURL: adminURL, auditBinary: auditBinary, port: port)
let pool = try DatabasePool(configuration: .init(url: platform.serviceURL, maxConnections: 8), logger: BenchPlatform.logger)
do {
    for clients in [1, 4] {
        let result = try await IngestBench(platform: platform, pool: pool, events: ingestEvents).run(clients: clients)
        line("ingest_chained_http_c\(clients)", result.chained, "events/s", "POST /internal/events, batches of 100")
        line("ingest_plain_insert_select_c\(clients)", result.plain, "events/s", "same rows from the client, unnest, unchained table")
        line("ingest_ratio_c\(clients)", result.ratio, "x", "median of per-round ratios (goal >= 0.5)")
        line("ingest_copy_insert_select_c\(clients)", result.copy, "events/s", "same rows copied server-side (reference)")
        line("ingest_ratio_vs_copy_c\(clients)", result.ratioToCopy, "x")
        line("ingest_audit_cpu_c\(clients)", result.auditCPUMicroseconds, "µs/event", "Audit process, user + system")
    }
    let agency = AgencyID()
    try await platform.provision(agency, slug: "query-million")
    let factory = EventFactory(agency: agency)
    let bench = QueryBench(platform: platform, pool: pool, events: queryEvents, samples: samples)
    line("fill_chained_direct_batches_of_5000", try await bench.fill(agency, factory: factory), "events/s", "\(queryEvents) events")
    var all: [Double] = []
    for shape in try await bench.measure(agency, factory: factory) {
        all += shape.latencies
        line("query_\(shape.name)_p50", shape.p50, "ms")
        line("query_\(shape.name)_p95", shape.p95, "ms", "max \(String(format: "%.1f", shape.max)) ms")
    }
    line("query_all_shapes_p95", QueryBench.Shape(name: "all", latencies: all).p95, "ms", "(goal < 100 ms at \(queryEvents) events)")
    let (verifySeconds, report) = try await bench.verify(agency)
    line("verify_full_chain", verifySeconds, "s", report)
} catch {
    FileHandle.standardError.write(Data("bench-audit failed: \(error)\n".utf8))
    await pool.shutdown()
    await platform.stop()
    exit(1)
}
await pool.shutdown()
await platform.stop()
