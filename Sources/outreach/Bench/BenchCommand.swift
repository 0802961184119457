import ArgumentParser

/// `outreach bench queue|e2e|scheduler|latency`: benchmarks on the database DATABASE_URL names,
/// each creating and removing its own data; the last line is the figure.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (last line: the figure).",
        subcommands: [BenchQueue.self, BenchEndToEnd.self, BenchScheduler.self, BenchLatency.self, BenchHTTP.self, BenchDrain.self])
}
