import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OutreachCrypto
import OutreachServer
import OutreachStore
import Postgres
import TestSupport

/// A migrated throwaway database with one workspace, one contact enrolled in a sequence, and one
/// email and one WhatsApp execution already sent — seeded with plain SQL — plus the server
/// application over it with known secrets and a fixed clock.
struct ServerFixture {
    static let resendSecret = "whsec_" + Base64.encode(Array("resend test key 32 bytes long!!!".utf8))
    static let appSecret = "wa-app-secret"
    static let verifyToken = "wa-verify-token"
    static let telegramSecret = "tg_secret-token"
    static let phoneNumberID = "123456123"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    let url: String
    let pool: PostgresPool
    let db: PostgresConnection
    var workspace = UUID()
    var contact: Int64 = 0
    var unsubscribeToken = ""
    var enrollment: Int64 = 0
    var emailExecution: Int64 = 0
    var whatsappExecution: Int64 = 0
    let emailMessageID = "4ef9a417-02e9-4d39-ad75-9611e0fcc33c"
    let whatsappMessageID = "wamid.HBgLMTYzMTU1NTExODEVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"

    var configuration: ServerConfiguration {
        ServerConfiguration(
            resendWebhookSecret: Self.resendSecret, whatsappAppSecret: Self.appSecret,
            whatsappVerifyToken: Self.verifyToken, telegramWebhookSecret: Self.telegramSecret,
            now: { ServerFixture.now })
    }

    /// Runs `body` with a seeded fixture; the database is dropped afterwards.
    static func with<T>(migrate: Bool = true, seed: Bool = true, _ body: (ServerFixture) async throws -> T) async throws -> T {
        let url = try await TestDatabase.create()
        let pool = PostgresPool(conninfo: url, maxConnections: 6)
        let db = try await PostgresConnection.connect(url)
        var fixture = ServerFixture(url: url, pool: pool, db: db)
        do {
            if migrate { _ = try await Migrator().migrate(on: db) }
            if migrate && seed { try await fixture.seed() }
            let value = try await body(fixture)
            await fixture.tearDown()
            return value
        } catch {
            await fixture.tearDown()
            throw error
        }
    }

    func tearDown() async {
        db.close()
        await pool.close()
        await TestDatabase.drop(url)
    }

    mutating func seed() async throws {
        workspace = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('acme') RETURNING id")[0].decode("id")
        try await db.execute("""
            INSERT INTO outreach_channel_config (workspace_id, channel, enabled, sender)
            VALUES ($1, 'whatsapp', true, jsonb_build_object('phone_number_id', $2::text)),
                   ($1, 'email', true, '{"from": "Acme <hello@acme.test>"}')
            """, [workspace, Self.phoneNumberID])
        let contactRow = try await db.query("""
            INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, email, phone, telegram_chat_id)
            VALUES ($1, 'lead', '42', 'Ada', 'Ada@Example.com', '+1 631-555-1181', '777000111')
            RETURNING id, unsubscribe_token
            """, [workspace])
        contact = try contactRow[0].decode("id")
        unsubscribeToken = try contactRow[0].decode("unsubscribe_token")
        let sequence: Int64 = try await db.query(
            "INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, 'intro') RETURNING id", [workspace])[0].decode("id")
        try await db.execute("""
            INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name, delay)
            VALUES ($1, $2, 1, 'email', 'intro-email', '0'), ($1, $2, 2, 'whatsapp', 'followup-wa', '48 hours'),
                   ($1, $2, 3, 'telegram', 'nudge-tg', '72 hours')
            """, [workspace, sequence])
        enrollment = try await db.query("""
            INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, status, current_step, next_run_at)
            VALUES ($1, $2, $3, 'lead', '42', 'active', 3, now() + interval '3 days') RETURNING id
            """, [workspace, sequence, contact])[0].decode("id")
        emailExecution = try await insertExecution(sequence: sequence, step: 1, channel: "email", providerID: emailMessageID)
        whatsappExecution = try await insertExecution(sequence: sequence, step: 2, channel: "whatsapp", providerID: whatsappMessageID)
        try await db.execute("""
            INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status, source, granted_at)
            VALUES ($1, 'lead', '42', 'email', 'granted', 'import', now()), ($1, 'lead', '42', 'whatsapp', 'granted', 'import', now())
            """, [workspace])
    }

    func insertExecution(sequence: Int64, step: Int, channel: String, providerID: String) async throws -> Int64 {
        try await db.query("""
            INSERT INTO outreach_executions (workspace_id, enrollment_id, sequence_id, step_position, contact_id, entity_type,
                entity_id, channel, template_name, idempotency_key, status, provider_message_id, sent_at)
            VALUES ($1, $2, $3, $4, $5, 'lead', '42', $6, 't', $7, 'sent', $8, now()) RETURNING id
            """, [workspace, enrollment, sequence, step, contact, channel, "step:\(enrollment):\(step)", providerID])[0].decode("id")
    }

    // MARK: - Reading state

    func executionStatus(_ id: Int64) async throws -> String {
        try await db.query("SELECT status FROM outreach_executions WHERE id = $1", [id])[0].decode("status")
    }

    /// `"<status> <version>"` of the fixture's enrollment.
    func enrollmentState() async throws -> String {
        let row = try await db.query("SELECT status, version FROM outreach_enrollments WHERE id = $1", [enrollment])[0]
        return "\(try row.decode("status", as: String.self)) \(try row.decode("version", as: Int.self))"
    }

    func count(_ table: String, _ condition: String = "true", _ binds: [any PostgresEncodable] = []) async throws -> Int {
        // Table names and conditions are literals written in the tests.
        try await db.query("SELECT count(*)::int AS n FROM \(table) WHERE \(condition)", binds)[0].decode("n")
    }

    /// Row counts of every table a webhook may write, to show that something changed nothing.
    func snapshot() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["outreach_executions", "outreach_execution_events", "outreach_webhook_events", "outreach_suppressions",
                      "outreach_consent_history"] {
            counts[table] = try await count(table)
        }
        let state = try await db.query("""
            SELECT (SELECT string_agg(status || coalesce(delivered_at::text, '') || coalesce(opened_at::text, ''), ',' ORDER BY id)
                    FROM outreach_executions) AS e,
                   (SELECT string_agg(status || version, ',' ORDER BY id) FROM outreach_enrollments) AS n,
                   (SELECT string_agg(status || version, ',' ORDER BY id) FROM outreach_consent) AS c
            """)[0]
        counts["state:" + ((try state.decode("e", as: String?.self)) ?? "") + "|" + ((try state.decode("n", as: String?.self)) ?? "")
               + "|" + ((try state.decode("c", as: String?.self)) ?? "")] = 1
        return counts
    }

    // MARK: - The application

    func application(configuration: ServerConfiguration? = nil) -> some ApplicationProtocol {
        var logger = Logger(label: "outreach.serve.test")
        logger.logLevel = .critical
        return Application(
            router: OutreachHTTPServer.router(configuration: configuration ?? self.configuration, pool: pool, logger: logger),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }

    // MARK: - Signed requests, computed independently of the server's verifiers

    func resendHeaders(id: String, body: String, timestamp: Date = ServerFixture.now) -> HTTPFields {
        let stamp = Int64(timestamp.timeIntervalSince1970)
        let key = Base64.decode(String(Self.resendSecret.dropFirst(6)))!
        let signature = "v1," + Base64.encode(HMAC.sha256(key: key, message: Array("\(id).\(stamp).\(body)".utf8)))
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("svix-id")!] = id
        headers[HTTPField.Name("svix-timestamp")!] = String(stamp)
        headers[HTTPField.Name("svix-signature")!] = signature
        return headers
    }

    func whatsappHeaders(body: String, secret: String = ServerFixture.appSecret) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-Hub-Signature-256")!] = "sha256=" + Hex.encode(HMAC.sha256(key: Array(secret.utf8), message: Array(body.utf8)))
        return headers
    }

    func telegramHeaders(secret: String = ServerFixture.telegramSecret) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!] = secret
        return headers
    }

    func resendEvent(_ type: String, emailID: String? = nil, extra: String = "") -> String {
        #"{"type":"\#(type)","created_at":"2025-06-15T15:06:40.123Z","data":{"created_at":"2025-06-15T15:06:39.000Z","email_id":"\#(emailID ?? emailMessageID)","from":"Acme <hello@acme.test>","to":["ada@example.com"],"subject":"Hi"\#(extra)}}"#
    }
}

extension ByteBuffer {
    var text: String { String(buffer: self) }
}
