import Hummingbird
import Logging
import OutreachEngine
import OutreachStore
import Postgres

/// `GET /healthz` (the process answers), `GET /readyz` (the database answers and every migration
/// is applied), `GET /metrics` (Prometheus text, queue gauges refreshed from SQL per scrape).
struct HealthRoutes: Sendable {
    let pool: PostgresPool?
    let logger: Logger

    func register(on router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in Responses.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in await readiness() }
        router.get("/metrics") { _, _ in await metrics() }
    }

    func readiness() async -> Response {
        guard let pool else { return Responses.text(.ok, "ready\n") }
        do {
            let pending = try await pool.withConnection { db in try await Migrator().pending(on: db) }
            guard pending.isEmpty else {
                return Responses.text(.serviceUnavailable, "not ready: \(pending.count) migration(s) pending\n")
            }
            return Responses.text(.ok, "ready\n")
        } catch {
            logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            return Responses.text(.serviceUnavailable, "not ready: database unavailable\n")
        }
    }

    func metrics() async -> Response {
        if let pool {
            do {
                try await pool.withConnection { db in try await QueueGauges().refresh(on: db) }
            } catch {
                // Still serve the process's own counters; the queue gauges keep their last values.
                logger.warning("queue gauges not refreshed", metadata: ["error": "\(error)"])
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: Observability.render())))
    }
}
