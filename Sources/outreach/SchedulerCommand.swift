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
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        guard let every else {
            let enqueued = try await SchedulerStore().tick(on: db)
            if output.json { output.printJSON(["enqueued": enqueued]) } else { print("enqueued \(enqueued) due steps") }
            return
        }
        let stop = SignalLatch([SIGTERM, SIGINT])
        while !stop.fired {
            do {
                let enqueued = try await SchedulerStore().tick(on: db)
                logger.info("tick", metadata: ["enqueued": "\(enqueued)"])
            } catch {
                logger.error("tick failed", metadata: ["error_code": "\(error)"])
            }
            await stop.wait(upTo: .seconds(Int64(every)))
        }
    }
}
