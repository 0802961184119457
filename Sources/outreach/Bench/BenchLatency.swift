import OutreachCore
import ArgumentParser
import Foundation
import OutreachStore
import Postgres

/// `outreach bench latency --jobs N`: enqueue → claim latency with an idle worker woken by
/// NOTIFY, measured from the enqueue's commit to the worker's "claimed" notification; also the
/// idle worker's CPU use.
struct BenchLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "latency", abstract: "Pickup latency (last line: pickup_p50_ms=X pickup_p99_ms=Y).")
    @Option var jobs = 500

    func run() async throws {
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let listener = try await PostgresConnection.connect()
        defer { listener.close() }
        let ws = try await BenchSupport.workspace(db, prefix: "bench-latency")
        try await listener.listen("outreach_bench_done")
        let worker = try BenchSupport.spawn(["bench", "drain", "--listen", "--batch", "10", "--name", "latency"])
        defer { worker.terminate() }
        try await Task.sleep(for: .seconds(1))

        // Idle: the worker waits on LISTEN and should burn no CPU.
        let cpu0 = BenchSupport.cpuSeconds(pid: worker.processIdentifier)
        try await Task.sleep(for: .seconds(3))
        let idleCPU = (BenchSupport.cpuSeconds(pid: worker.processIdentifier) - cpu0) / 3 * 100

        let queue = JobQueue()
        var samples: [Double] = []
        for i in 0..<jobs {
            let start = ContinuousClock.now
            try await queue.enqueue([NewJob(workspaceID: ws, kind: .noop, dedupeKey: "lat-\(i)-\(UUID().uuidString)")], on: db)
            while let note = try await listener.waitForNotification(timeout: .seconds(5)) {
                if !note.payload.isEmpty { break }
            }
            samples.append((ContinuousClock.now - start).inSeconds * 1000)
            try await Task.sleep(for: .milliseconds(10))
        }
        try await BenchSupport.drop(ws, on: db)
        samples.sort()
        print(String(format: "jobs=%d idle_worker_cpu_pct=%.2f", jobs, idleCPU))
        print(String(format: "pickup_p50_ms=%.2f pickup_p99_ms=%.2f", BenchSupport.percentile(samples, 0.5), BenchSupport.percentile(samples, 0.99)))
    }
}
