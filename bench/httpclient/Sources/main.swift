import Foundation
import MusterHTTPClient

// httpclient-bench URL [in-flight] [seconds]: GETs URL with that many requests
// in flight on one client for that long, then prints requests/s and the
// process CPU time per request.

let arguments = CommandLine.arguments
guard arguments.count >= 2, let inFlight = Int(arguments.count > 2 ? arguments[2] : "16"),
      let seconds = Int(arguments.count > 3 ? arguments[3] : "5") else {
    print("usage: httpclient-bench URL [in-flight=16] [seconds=5]")
    exit(2)
}
let result = try await ClientBenchmark(url: arguments[1], inFlight: inFlight, duration: .seconds(seconds)).run()
print(result)
