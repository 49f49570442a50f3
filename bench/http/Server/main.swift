import MusterCore
import MusterHTTP
import MusterHTTPServer

// The benchmark server: one route answering the same small JSON body as the
// nginx it is compared with, through the full Router and HTTPServer path.
let environment = Environment()
let port = try environment.int("BENCH_HTTP_PORT", default: 8090)
let loops = try environment.int("BENCH_HTTP_LOOPS", default: HTTPServer.Configuration.coreCount)
let body = Array(#"{"status":"ok","service":"bench"}"#.utf8)

let router = Router()
router.fixed(.get, "/json", .jsonBytes(body))
router.get("/json-async") { _ in .jsonBytes(body) }
let logger = Logger(service: "bench-http", minimumLevel: .warning)
let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port, eventLoops: loops),
                        responder: router.build(), logger: logger)
try server.start()
print("listening on \(server.localPort)")
try await server.runUntilShutdownSignal()
