import Hummingbird
import Logging
import OutreachEngine
import Postgres

/// Builds the Hummingbird application of `outreach serve` (and the small metrics endpoint the
/// worker can start).
public enum OutreachHTTPServer {
    /// The router with every route of SPEC §7 plus `/healthz`, `/readyz` and `/metrics`.
    public static func router(
        configuration: ServerConfiguration, pool: PostgresPool, logger: Logger = Logger(label: "outreach.serve")
    ) -> Router<BasicRequestContext> {
        Observability.bootstrap()
        let router = Router()
        HealthRoutes(pool: pool, logger: logger).register(on: router)
        WebhookRoutes(configuration: configuration, tracker: DeliveryTracker(pool: pool, logger: logger), logger: logger)
            .register(on: router)
        UnsubscribeRoutes(unsubscriber: Unsubscriber(pool: pool, logger: logger), logger: logger).register(on: router)
        AssistantRoutes(pool: pool, adminToken: configuration.adminToken,
                        service: AssistantService(environment: configuration.environment), logger: logger).register(on: router)
        return router
    }

    /// The `outreach serve` application, listening on `host:port`. Run it inside a
    /// `ServiceGroup` (or with `runService()`) for graceful shutdown on SIGTERM/SIGINT.
    public static func application(
        host: String, port: Int, configuration: ServerConfiguration, pool: PostgresPool,
        logger: Logger = Logger(label: "outreach.serve")
    ) -> Application<RouterResponder<BasicRequestContext>> {
        DecoderMetadata.prepare()
        return Application(
            router: router(configuration: configuration, pool: pool, logger: logger),
            // Providers deliver webhooks in bursts of many connections at once; a short accept
            // queue drops them and each one waits a second for the SYN to be sent again.
            configuration: .init(address: .hostname(host, port: port), serverName: "outreach", backlog: 4096),
            logger: logger)
    }

    /// A minimal server with `/metrics` and `/healthz` only, for processes that are not
    /// `outreach serve` (the worker's `--metrics-port`). `pool` (optional) refreshes the queue
    /// gauges per scrape. Add the returned application to the process's `ServiceGroup`.
    public static func metricsApplication(
        host: String = "127.0.0.1", port: Int, pool: PostgresPool? = nil,
        logger: Logger = Logger(label: "outreach.metrics")
    ) -> Application<RouterResponder<BasicRequestContext>> {
        Observability.bootstrap()
        DecoderMetadata.prepare()
        let router = Router()
        let health = HealthRoutes(pool: pool, logger: logger)
        router.get("/healthz") { _, _ in Responses.text(.ok, "ok\n") }
        router.get("/metrics") { _, _ in await health.metrics() }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "outreach-metrics"),
            logger: logger)
    }
}
