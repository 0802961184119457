import ArgumentParser
import Foundation
import Logging
import OutreachEngine
import OutreachStore
import Postgres

/// `outreach scheduler [--once | --every SECONDS]`.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "Enqueue every enrollment step that is due (idempotent).")

    @Flag(help: "Run one tick and exit (systemd timer).") var once = false
    @Option(help: "Run a tick every SECONDS until SIGTERM.") var every: Int?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if once && every != nil { throw ValidationError("use either --once or --every, not both") }
        if let every, every < 1 { throw ValidationError("--every must be at least 1 second") }
    }

    func run() async throws {
        JSONLogHandler.bootstrap(process: "scheduler")
        let logger = Logger(label: "outreach.scheduler")
        let retention = try Self.webhookRetention(ProcessInfo.processInfo.environment)
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        guard let every else {
            let (enqueued, pruned) = try await Self.tick(on: db, retention: retention)
            if output.json {
                output.printJSON(["enqueued": enqueued, "webhook_events_pruned": pruned])
            } else {
                print("enqueued \(enqueued) due steps")
                if pruned > 0 { print("forgot \(pruned) webhook event ids older than the retention") }
            }
            return
        }
        let stop = SignalLatch([SIGTERM, SIGINT])
        while !stop.fired {
            do {
                let (enqueued, pruned) = try await Self.tick(on: db, retention: retention)
                logger.info("tick", metadata: ["enqueued": "\(enqueued)", "webhook_events_pruned": "\(pruned)"])
            } catch {
                logger.error("tick failed", metadata: ["error_code": "\(error)"])
            }
            await stop.wait(upTo: .seconds(Int64(every)))
        }
    }

    /// One tick: enqueue what is due, then forget expired webhook event ids (bounded per tick,
    /// so a large first backlog is worked off over several ticks).
    static func tick(on db: PostgresConnection, retention: Duration) async throws -> (enqueued: Int, pruned: Int) {
        let enqueued = try await SchedulerStore().tick(on: db)
        let pruned = try await WebhookEventStore().prune(olderThan: retention, on: db)
        return (enqueued, pruned)
    }

    /// `OUTREACH_WEBHOOK_RETENTION_DAYS` (default 30): how long webhook event ids are kept for
    /// dedupe. Shorter than a provider's redelivery window would apply a late retry twice.
    static func webhookRetention(_ environment: [String: String]) throws -> Duration {
        guard let text = environment["OUTREACH_WEBHOOK_RETENTION_DAYS"] else { return WebhookEventStore.defaultRetention }
        guard let days = Int(text), days >= 8 else {
            throw ValidationError("OUTREACH_WEBHOOK_RETENTION_DAYS must be a whole number of days, at least 8 (Meta redelivers for up to 7)")
        }
        return .seconds(Int64(days) * 24 * 3600)
    }
}
