import ArgumentParser
import Foundation
import Logging
import OutreachEngine
import OutreachServer
import ServiceLifecycle

/// `outreach worker [--concurrency N] [--batch N] [--name ID]`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Claim due jobs, run the safety checks and send (SIGTERM drains).")

    @Option(help: "Sends in flight at once.") var concurrency = 100
    @Option(help: "Jobs claimed per batch.") var batch = 50
    @Option(help: "Worker name used in leases and logs (default: host-pid).") var name: String?
    @Option(help: "Serve this worker's Prometheus /metrics on this port.") var metricsPort: Int?
    @Option(help: "Address for --metrics-port.") var metricsHost = "127.0.0.1"

    func validate() throws {
        guard concurrency >= 1, concurrency <= 10_000 else { throw ValidationError("--concurrency must be 1…10000") }
        guard batch >= 1, batch <= 1000 else { throw ValidationError("--batch must be 1…1000") }
        if let metricsPort, !(1...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be 1…65535") }
    }

    func run() async throws {
        JSONLogHandler.bootstrap(process: "worker")
        if metricsPort != nil { Observability.bootstrap() }  // before the first send records anything
        let logger = Logger(label: "outreach.worker")
        let env = ProcessInfo.processInfo.environment
        let id = name ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        let worker = Worker(configuration: WorkerConfiguration(name: id, concurrency: concurrency, batchSize: batch, environment: env),
                            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: worker)]
        if let metricsPort {
            services.append(.init(service: OutreachHTTPServer.metricsApplication(host: metricsHost, port: metricsPort, logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(services: services,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
