import Dispatch
import Glibc
import MusterHTTP

/// Waits for `SIGTERM` or `SIGINT` with dispatch signal sources. The signals'
/// default action (killing the process) is disabled from then on, so a second
/// signal during the graceful drain is ignored too.
///
/// ```swift
/// let signal = await ShutdownSignal.wait()     // "SIGTERM"
/// for server in servers { await server.shutdown() }
/// ```
public enum ShutdownSignal {
    /// Returns the name of the first shutdown signal received.
    public static func wait() async -> String {
        let (names, continuation) = AsyncStream.makeStream(of: String.self)
        let sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            return source
        }
        var iterator = names.makeAsyncIterator()
        let name = await iterator.next() ?? "SIGTERM"
        // A source dropped while active is cancelled, so they live until here.
        for source in sources { source.cancel() }
        return name
    }
}
