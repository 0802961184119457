import Logging
@testable import OutreachEngine
import OutreachStore
import Postgres

extension EngineFixture {
    /// Runs the worker's send path in this process, as worker `name`, on jobs the test claimed
    /// itself: race tests decide what happens between the claim and the batch.
    func process(_ jobs: [Job], as name: String) async throws {
        var env = environment
        env["DATABASE_URL"] = url
        let config = WorkerConfiguration(name: name, environment: env)
        let pool = PostgresPool(conninfo: url, maxConnections: 2)
        let registry = ChannelRegistry(providers: config.providers, concurrency: 4, timeout: .seconds(5))
        let processor = BatchProcessor(pool: pool, registry: registry,
                                       renderer: MessageRenderer(providers: config.providers, publicURL: config.publicURL),
                                       configuration: config, logger: Logger(label: "test"), stats: WorkerStats())
        var failure: (any Error)?
        do { try await processor.process(jobs) } catch { failure = error }
        registry.shutdown()
        await pool.close()
        if let failure { throw failure }
    }
}
