import Foundation
import Logging
import OutreachCore
import OutreachStore
import Postgres
import ServiceLifecycle
import Synchronization

/// `outreach worker`: claims batches, runs the gates and safety checks, sends, records.
///
/// Wakes on `LISTEN outreach_jobs` (with a polling fallback) rather than hot polling; keeps its
/// leases alive with heartbeats; returns other workers' expired leases; on SIGTERM stops
/// claiming, lets in-hand work finish within the grace period and releases what is left.
public final class Worker: Service, Sendable {
    let configuration: WorkerConfiguration
    let logger: Logger
    private let stopping = Atomic<Bool>(false)

    static let killSwitchQuery = "SELECT value = 'true'::jsonb AS on FROM outreach_settings WHERE key = 'kill_switch'"
    static let pilotQuery = "SELECT id FROM outreach_workspaces WHERE id::text = ANY($1::text[]) OR name = ANY($1::text[])"

    public init(configuration: WorkerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let pool = PostgresPool(conninfo: try Self.workConnectionString(), maxConnections: configuration.databaseConnections)
        let listener = try await PostgresConnection.connect()
        defer { listener.close() }
        try await listener.listen(JobQueue.channel)
        let registry = ChannelRegistry(providers: configuration.providers, concurrency: configuration.concurrency,
                                       timeout: configuration.httpTimeout)
        defer { registry.shutdown() }
        let stats = WorkerStats()
        let processor = BatchProcessor(pool: pool, registry: registry,
                                       renderer: MessageRenderer(providers: configuration.providers, publicURL: configuration.publicURL),
                                       configuration: configuration, logger: logger, stats: stats)
        var pilot: [UUID]?
        if let names = configuration.pilotWorkspaces {
            pilot = try await pool.query(Self.pilotQuery, [names] as [any PostgresEncodable]).map { try $0.decode("id", as: UUID.self) }
        }
        let inFlight = InFlight()
        logger.info("worker started", metadata: ["worker": "\(configuration.name)", "concurrency": "\(configuration.concurrency)",
                                                 "batch": "\(configuration.batchSize)"])

        await withGracefulShutdownHandler {
            // Discarding: a finished batch's task (its async frames and results) is freed at once.
            // A plain task group keeps every finished child until its result is awaited, which
            // this loop never does, so a long-running worker grew by every batch it had run.
            await withDiscardingTaskGroup { group in
                group.addTask { await self.heartbeats(inFlight, pool: pool) }
                group.addTask { await self.rescuer(pool: pool) }
                await self.claimLoop(pool: pool, listener: listener, pilot: pilot, inFlight: inFlight, processor: processor,
                                     group: &group)
                // Stopping: in-hand work gets the grace period, then is cancelled and released.
                let drained = await self.drain(inFlight, within: self.configuration.gracePeriod)
                group.cancelAll()
                if !drained {
                    let leases = await inFlight.leases
                    _ = try? await pool.withConnection { try await JobQueue().release(leases, on: $0) }
                    self.logger.warning("grace period over; released unfinished jobs", metadata: ["jobs": "\(leases.count)"])
                }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
        await pool.close()
        logger.info("worker stopped", metadata: ["worker": "\(configuration.name)", "counts": "\(stats.snapshot)"])
    }

    /// The worker's batch connections commit asynchronously by default: a lost claim, outcome or
    /// rate-limit token after a database crash is recovered by the lease and the `sending`
    /// record, never by a second message. The one write that must be durable before a provider
    /// call, `sending`, commits synchronously (`SET LOCAL` in the prepare transaction).
    public static func workConnectionString() throws -> String {
        var options = try PostgresConnectionString.options(ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "")
        options["options"] = [options["options"], "-c synchronous_commit=off"].compactMap { $0 }.joined(separator: " ")
        return PostgresConnectionString.uri(options)
    }

    /// Stops the worker as SIGTERM would (tests and embedding).
    public func stop() { stopping.store(true, ordering: .relaxed) }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) || Task.isCancelled }

    private func claimLoop(pool: PostgresPool, listener: PostgresConnection, pilot: [UUID]?, inFlight: InFlight,
                           processor: BatchProcessor, group: inout DiscardingTaskGroup) async {
        let queue = JobQueue()
        while !isStopping {
            do {
                await inFlight.waitForCapacity(configuration.concurrency)
                if isStopping { break }
                if try await killSwitchOn(pool) {
                    _ = try await listener.waitForNotification(timeout: configuration.pollInterval)
                    continue
                }
                let capacity = configuration.concurrency - (await inFlight.count)
                let jobs = try await pool.withConnection { db in
                    try await queue.claim(limit: min(self.configuration.batchSize, max(1, capacity)), worker: self.configuration.name,
                                          lease: self.configuration.lease, pilotWorkspaces: pilot, on: db)
                }
                if jobs.isEmpty {
                    // Idle: sleep until a NOTIFY (debounced: drain what queued up) or the poll interval.
                    if try await listener.waitForNotification(timeout: configuration.pollInterval) != nil {
                        while try await listener.waitForNotification(timeout: .zero) != nil {}
                    }
                    continue
                }
                await inFlight.add(jobs)
                group.addTask {
                    do {
                        try await processor.process(jobs)
                    } catch {
                        self.logger.error("batch failed; releasing its jobs",
                                          metadata: ["error_code": "\(error)", "jobs": "\(jobs.count)"])
                        _ = try? await pool.withConnection { try await queue.release(jobs.map(\.lease), on: $0) }
                    }
                    await inFlight.remove(jobs)
                }
            } catch {
                logger.error("claim cycle failed", metadata: ["error_code": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func killSwitchOn(_ pool: PostgresPool) async throws -> Bool {
        if configuration.killSwitch { return true }
        return try await pool.query(Self.killSwitchQuery).first?.decode("on", as: Bool?.self) == true
    }

    private func heartbeats(_ inFlight: InFlight, pool: PostgresPool) async {
        let every = configuration.lease / 3
        while !Task.isCancelled {
            try? await Task.sleep(for: every)
            let ids = await inFlight.leases.map(\.id)
            guard !ids.isEmpty else { continue }
            do {
                try await pool.withConnection { try await JobQueue().heartbeat(ids, worker: self.configuration.name,
                                                                               lease: self.configuration.lease, on: $0) }
            } catch {
                logger.warning("heartbeat failed", metadata: ["error_code": "\(error)"])
            }
        }
    }

    private func rescuer(pool: PostgresPool) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.rescueInterval)
            guard !Task.isCancelled else { return }
            if let ids = try? await pool.withConnection({ try await JobQueue().rescueExpired(on: $0) }), !ids.isEmpty {
                logger.warning("returned jobs with expired leases", metadata: ["jobs": "\(ids.count)"])
            }
        }
    }

    /// Waits until nothing is held or `timeout` passed; true when everything finished.
    private func drain(_ inFlight: InFlight, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await inFlight.count == 0 { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await inFlight.count == 0
    }
}
