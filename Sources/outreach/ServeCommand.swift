import ArgumentParser
import Foundation
import Logging
import OutreachEngine
import OutreachServer
import Postgres
import ServiceLifecycle

/// `outreach serve [--host 127.0.0.1] [--port 8080]`: provider webhooks, one-click unsubscribe,
/// `/healthz`, `/readyz`, `/metrics`. SIGTERM and SIGINT stop accepting connections and let
/// requests in flight finish.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve webhooks, one-click unsubscribe, health checks and metrics over HTTP.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Most database connections open at once.") var dbConnections = 8

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard dbConnections >= 1 else { throw ValidationError("--db-connections must be at least 1") }
    }

    func run() async throws {
        JSONLogHandler.bootstrap(process: "serve")
        Observability.bootstrap()
        let logger = Logger(label: "outreach.serve")
        let pool = PostgresPool(maxConnections: dbConnections)
        let configuration = ServerConfiguration.fromEnvironment()
        for (name, value) in [
            ("RESEND_WEBHOOK_SECRET", configuration.resendWebhookSecret),
            ("WHATSAPP_APP_SECRET", configuration.whatsappAppSecret),
            ("WHATSAPP_VERIFY_TOKEN", configuration.whatsappVerifyToken),
            ("TELEGRAM_WEBHOOK_SECRET", configuration.telegramWebhookSecret),
        ] where value == nil {
            logger.warning("\(name) is not set: that webhook is refused until it is")
        }
        let app = OutreachHTTPServer.application(
            host: host, port: port, configuration: configuration, pool: pool, logger: logger)
        let group = ServiceGroup(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        logger.info("serving", metadata: ["host": "\(host)", "port": "\(port)"])
        do {
            try await group.run()
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
        logger.info("stopped")
    }
}
