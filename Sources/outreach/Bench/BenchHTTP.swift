import OutreachCore
import ArgumentParser
import Foundation
import HTTPClient

/// `outreach bench http --url URL --requests N --in-flight K`: the libcurl client against the
/// sandbox: requests per second and latency percentiles at a given concurrency.
struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "http", abstract: "HTTP client throughput (last line: requests_per_s=N p50_ms=X p99_ms=Y).")
    @Option var url = "http://127.0.0.1:9090"
    @Option var requests = 20_000
    @Option(name: .customLong("in-flight")) var inFlight = 50

    func run() async throws {
        let client = HTTPClient(configuration: HTTPClientConfiguration(maxConnections: max(16, inFlight)))
        defer { client.shutdown() }
        let body = Array(#"{"chat_id": 42, "text": "bench <b>hello</b>", "parse_mode": "HTML"}"#.utf8)
        let request = HTTPRequest(method: "POST", url: url + "/bot1:bench/sendMessage",
                                  headers: [(name: "Content-Type", value: "application/json")], body: body)
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            let per = requests / inFlight
            for lane in 0..<inFlight {
                let count = per + (lane < requests % inFlight ? 1 : 0)
                group.addTask {
                    var mine: [Double] = []
                    for _ in 0..<count {
                        let t = ContinuousClock.now
                        let r = try await client.execute(request)
                        guard r.status == 200 else { throw ValidationError("sandbox answered \(r.status)") }
                        mine.append((ContinuousClock.now - t).inSeconds * 1000)
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await lane in group { all += lane }
            return all.sorted()
        }
        let elapsed = (ContinuousClock.now - start).inSeconds
        print("requests=\(latencies.count) in_flight=\(inFlight) seconds=\(String(format: "%.2f", elapsed)) connections=\(client.stats.connectionsOpened)")
        print(String(format: "requests_per_s=%.0f p50_ms=%.2f p99_ms=%.2f", Double(latencies.count) / elapsed,
                     BenchSupport.percentile(latencies, 0.5), BenchSupport.percentile(latencies, 0.99)))
    }
}
