import OutreachCore
import ArgumentParser
import Foundation
import OutreachEngine
import Postgres

/// `outreach bench queue --jobs N --workers P`: no-op claim + complete throughput, P processes.
struct BenchQueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "No-op queue throughput (last line: jobs_per_s=N).")
    @Option var jobs = 200_000
    @Option var workers = 2
    @Option(help: "Claim batch size.") var batch = 100
    @Option(help: "Concurrent claim loops (connections) per process.") var loops = 2

    func run() async throws {
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let ws = try await BenchSupport.workspace(db, prefix: "bench-queue")
        try await db.query(BenchSupport.insertNoops, [ws, jobs])
        try await db.query("VACUUM ANALYZE outreach_jobs")
        let start = ContinuousClock.now
        let children = try (0..<workers).map { i in
            try BenchSupport.spawn(["bench", "drain", "--batch", "\(batch)", "--loops", "\(loops)", "--name", "bench-\(i)"])
        }
        await BenchSupport.wait(children)
        let elapsed = (ContinuousClock.now - start).inSeconds
        let left: Int = try await db.query("SELECT count(*)::int AS n FROM outreach_jobs WHERE workspace_id = $1", [ws])[0].decode("n")
        try await BenchSupport.drop(ws, on: db)
        print("jobs=\(jobs - left) workers=\(workers) loops=\(loops) batch=\(batch) seconds=\(String(format: "%.2f", elapsed))")
        print("jobs_per_s=\(Int(Double(jobs - left) / elapsed))")
    }
}

/// `outreach bench drain` (used by the benchmarks): claim + complete until empty, or `--listen`.
struct BenchDrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drain", abstract: "Benchmark helper process.",
                                                    shouldDisplay: false)
    @Option var batch = 100
    @Option var loops = 1
    @Option var name = "bench"
    @Flag var listen = false

    func run() async throws {
        if listen {
            let db = try await PostgresConnection.connect()
            let listener = try await PostgresConnection.connect()
            try await QueueDrain(batch: batch, worker: name).serve(claimOn: db, listener: listener)
            return
        }
        // Claims and completes run on connections set up as the worker's batch connections are
        // (asynchronous commit: a lost claim or completion is recovered by the lease).
        let conninfo = try Worker.workConnectionString()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<loops {
                group.addTask {
                    let db = try await PostgresConnection.connect(conninfo)
                    defer { db.close() }
                    return try await QueueDrain(batch: batch, worker: "\(name)-\(i)").drain(on: db)
                }
            }
            for try await _ in group {}
        }
    }
}
