import ArgumentParser
import Foundation
import Logging
import OutreachEngine
import ServiceLifecycle

/// `outreach worker [--concurrency N] [--batch N] [--name ID]`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Claim due jobs, run the safety checks and send (SIGTERM drains).")

    @Option(help: "Sends in flight at once.") var concurrency = 100
    @Option(help: "Jobs claimed per batch.") var batch = 50
    @Option(help: "Worker name used in leases and logs (default: host-pid).") var name: String?

    func validate() throws {
        guard concurrency >= 1, concurrency <= 10_000 else { throw ValidationError("--concurrency must be 1…10000") }
        guard batch >= 1, batch <= 1000 else { throw ValidationError("--batch must be 1…1000") }
    }

    func run() async throws {
        JSONLogHandler.bootstrap(process: "worker")
        let logger = Logger(label: "outreach.worker")
        let env = ProcessInfo.processInfo.environment
        let id = name ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        let worker = Worker(configuration: WorkerConfiguration(name: id, concurrency: concurrency, batchSize: batch, environment: env),
                            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
