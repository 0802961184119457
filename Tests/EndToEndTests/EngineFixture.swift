import Foundation
import HTTPClient
import OutreachStore
import Postgres
import Synchronization
import Testing
import TestSupport

/// A migrated database, a running sandbox and helpers to seed a workspace and run the fleet as
/// real `outreach` processes.
final class EngineFixture: Sendable {
    let url: String
    let db: PostgresConnection
    let sandbox: Process
    let sandboxPort: Int
    let http = HTTPClient()
    /// Workers started through this fixture. A test that fails midway never reaches its own
    /// clean-up, and a worker left running would hammer the database long after it.
    private let workers = Mutex<[Process]>([])

    static func start(sandboxArguments: [String] = ["--latency-ms", "0"]) async throws -> EngineFixture {
        let url = try await TestDatabase.create()
        let db = try await PostgresConnection.connect(url)
        _ = try await Migrator().migrate(on: db)
        let port = freePort()
        let sandbox = try OutreachProcess.start(["sandbox", "--port", "\(port)"] + sandboxArguments, capture: false)
        let fixture = EngineFixture(url: url, db: db, sandbox: sandbox, port: port)
        try await fixture.waitForSandbox()
        return fixture
    }

    private init(url: String, db: PostgresConnection, sandbox: Process, port: Int) {
        self.url = url
        self.db = db
        self.sandbox = sandbox
        self.sandboxPort = port
    }

    /// Kills whatever this fixture started that is still running (see `workers`).
    deinit {
        for process in workers.withLock({ $0 }) + [sandbox] where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    func stop() async {
        sandbox.terminate()
        http.shutdown()
        db.close()
        await TestDatabase.drop(url)
    }

    var sandboxURL: String { "http://127.0.0.1:\(sandboxPort)" }

    /// The environment a worker needs to reach this database and sandbox.
    var environment: [String: String] {
        ["DATABASE_URL": url, "RESEND_API_KEY": "re_test", "RESEND_BASE_URL": sandboxURL, "RESEND_FROM": "Acme <hi@acme.test>",
         "WHATSAPP_ACCESS_TOKEN": "EAAtest", "WHATSAPP_PHONE_NUMBER_ID": "1234567890", "WHATSAPP_BASE_URL": sandboxURL,
         "TELEGRAM_BOT_TOKEN": "123:ABC", "TELEGRAM_BASE_URL": sandboxURL,
         "OUTREACH_RATE_RESEND": "100000", "OUTREACH_RATE_WHATSAPP": "100000", "OUTREACH_RATE_TELEGRAM": "100000",
         "OUTREACH_POLL_MS": "200", "OUTREACH_LOG_LEVEL": "warning"]
    }

    private func waitForSandbox() async throws {
        try await Self.waitForSandbox(port: sandboxPort, using: http)
    }

    /// Waits up to ten seconds for a sandbox on `port` to answer.
    static func waitForSandbox(port: Int, using http: HTTPClient) async throws {
        for _ in 0..<200 {
            if let r = try? await http.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/_sandbox/messages")), r.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FixtureError(description: "sandbox did not start on port \(port)")
    }

    struct FixtureError: Error, CustomStringConvertible { var description: String }

    /// Messages the sandbox accepted.
    func messages() async throws -> [[String: Any]] {
        let r = try await http.execute(HTTPRequest(url: sandboxURL + "/_sandbox/messages"))
        return (try JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
    }

    // MARK: Seeding (plain SQL: these tests are about the engine, not the admin commands)

    /// A workspace with `contacts` leads (ids 1…n) with email, phone and Telegram chat ids,
    /// consent on every channel for all of them, all channels enabled, one template per channel.
    @discardableResult
    func seedWorkspace(name: String = "acme", contacts: Int, dailyLimit: Int? = nil, timezone: String = "UTC") async throws -> UUID {
        let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name, timezone) VALUES ($1, $2) RETURNING id",
                                          [name, timezone])[0].decode("id")
        try await db.query("""
            INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, company, email, phone, telegram_chat_id,
                                           whatsapp_last_inbound_at)
            SELECT $1, 'lead', g::text, 'Contact ' || g, 'Company ' || g, 'c' || g || '@example.com',
                   '+39333' || lpad(g::text, 7, '0'), (100000 + g)::text, now()
            FROM generate_series(1, $2::int) g
            """, [ws, contacts])
        try await db.query("""
            INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status, granted_at, source)
            SELECT workspace_id, entity_type, entity_id, ch, 'granted', now(), 'test'
            FROM outreach_contacts, unnest(ARRAY['email', 'whatsapp', 'telegram']) ch WHERE workspace_id = $1
            """, [ws])
        try await db.query("""
            INSERT INTO outreach_channel_config (workspace_id, channel, enabled, daily_limit)
            SELECT $1, ch, true, $2 FROM unnest(ARRAY['email', 'whatsapp', 'telegram']) ch
            """, [ws, dailyLimit])
        try await db.query("""
            INSERT INTO outreach_templates (workspace_id, name, channel, subject, body) VALUES
                ($1, 'mail', 'email', 'Hello {{first_name}}', '<p>Hi {{name}}</p>'),
                ($1, 'wa', 'whatsapp', NULL, 'Hi {{name}}'),
                ($1, 'tg', 'telegram', NULL, 'Hi <b>{{name}}</b>')
            """, [ws])
        return ws
    }

    /// A sequence of steps `(channel, template, delay seconds)`; returns its id.
    @discardableResult
    func seedSequence(_ ws: UUID, name: String, steps: [(String, String, Int)]) async throws -> Int64 {
        let seq: Int64 = try await db.query("INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, $2) RETURNING id",
                                            [ws, name])[0].decode("id")
        for (i, step) in steps.enumerated() {
            try await db.query("""
                INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name, delay)
                VALUES ($1, $2, $3, $4, $5, make_interval(secs => $6))
                """, [ws, seq, i + 1, step.0, step.1, step.2])
        }
        return seq
    }

    /// Enrolls every contact of the workspace (or the first `limit`), due now.
    func enrollAll(_ ws: UUID, sequence: Int64, limit: Int? = nil) async throws {
        try await db.query("""
            INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
            SELECT workspace_id, $2, id, entity_type, entity_id, now() FROM outreach_contacts
            WHERE workspace_id = $1 AND ($3::int IS NULL OR entity_id::int <= $3::int)
            """, [ws, sequence, limit])
    }

    /// Three one-step sequences (email, WhatsApp, Telegram), each contact enrolled in one of
    /// them by id; returns the email sequence's id.
    func seedOneStepPerChannel(_ ws: UUID) async throws -> Int64 {
        let email = try await seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
        let wa = try await seedSequence(ws, name: "w", steps: [("whatsapp", "wa", 0)])
        let tg = try await seedSequence(ws, name: "t", steps: [("telegram", "tg", 0)])
        try await db.query("""
            INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
            SELECT workspace_id, CASE WHEN id % 3 = 0 THEN $2::bigint WHEN id % 3 = 1 THEN $3::bigint ELSE $4::bigint END,
                   id, entity_type, entity_id, now()
            FROM outreach_contacts WHERE workspace_id = $1
            """, [ws, email, wa, tg])
        return email
    }

    // MARK: Processes

    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> OutreachProcess.Result {
        try await OutreachProcess.run(arguments, environment: environment.merging(extra) { $1 })
    }

    func startWorker(_ name: String, extra: [String] = [], environment extra2: [String: String] = [:]) throws -> Process {
        let worker = try OutreachProcess.start(["worker", "--name", name] + extra, environment: environment.merging(extra2) { $1 },
                                               capture: false)
        workers.withLock { $0.append(worker) }
        return worker
    }

    /// Waits until no job is queued and due or running, or the timeout passes.
    func waitForQuiet(timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let n: Int = try await db.query("""
                SELECT count(*)::int AS n FROM outreach_jobs WHERE state = 'running' OR (state = 'queued' AND run_at <= now())
                """)[0].decode("n")
            if n == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FixtureError(description: "the queue did not drain within \(timeout)")
    }

    func count(_ sql: String, _ binds: [any PostgresEncodable] = []) async throws -> Int {
        try await db.query(sql, binds)[0].decode(0, as: Int.self)
    }

    static func freePort() -> Int {
        // Bind port 0, read what the kernel picked, close: good enough for a test on loopback.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

extension Process {
    /// SIGTERM, then wait for the exit status without blocking the cooperative pool.
    func stopGracefully() async -> Int32 {
        terminate()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.waitUntilExit()
                continuation.resume(returning: self.terminationStatus)
            }
        }
    }

    func kill9() { Foundation.kill(processIdentifier, SIGKILL) }
}
