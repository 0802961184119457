import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing

/// SPEC §9 examples, IT and EN, each carried out on a real database.
@Suite("Assistant: SPEC §9 examples on a real database")
struct AssistantExampleTests {
    static let languages = ["it", "en"]

    func pick(_ language: String, _ it: String, _ en: String) -> String { language == "it" ? it : en }

    @Test(arguments: languages) func enableEmail(language: String) async throws {
        try await AssistantFixture.with { f in
            let r = try await f.ask(pick(language, "Attiva email outreach", "Enable email outreach"))
            #expect(r.intent == "manage_channels")
            #expect(r.action == "channels_changed")
            #expect(r.language == language)
            #expect(try await f.count("SELECT count(*) FROM outreach_channel_config WHERE channel = 'email' AND enabled") == 1)
        }
    }

    @Test(arguments: languages) func enrollNewLeads(language: String) async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            let r = try await f.ask(pick(language, "Iscrivi lead nuovi alla sequenza intro", "Enroll new leads in the intro sequence"))
            #expect(r.intent == "enroll_entity")
            #expect(r.action == "enrolled")
            // lead:1 and lead:3 have status new; prospect:2 and lead:4 do not.
            #expect(try await f.count("""
                SELECT count(*) FROM outreach_enrollments WHERE entity_type = 'lead' AND entity_id IN ('1', '3')
                """) == 2)
            #expect(try await f.enrollments == 2)
            #expect(r.reply.contains("2"))
        }
    }

    @Test(arguments: languages) func sendFollowup(language: String) async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            let r = try await f.ask(pick(language, "Manda followup a TechShop", "Send followup to TechShop"))
            #expect(r.intent == "send_message")
            #expect(r.entities == ["prospect:2"])
            #expect(r.action == "send_queued")
            #expect(try await f.count("""
                SELECT count(*) FROM outreach_jobs WHERE kind = 'send' AND payload->>'template' = 'followup'
                """) == 1)
        }
    }

    @Test(arguments: languages) func onlyEmail(language: String) async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.whatsapp)
            let r = try await f.ask(pick(language, "Disabilita WhatsApp, uso solo email", "Disable WhatsApp, I only use email"))
            #expect(r.intent == "manage_channels")
            #expect(try await f.count("SELECT count(*) FROM outreach_channel_config WHERE channel = 'email' AND enabled") == 1)
            #expect(try await f.count("SELECT count(*) FROM outreach_channel_config WHERE channel = 'whatsapp' AND NOT enabled") == 1)
            #expect(try await f.count("SELECT count(*) FROM outreach_channel_config WHERE enabled") == 1)
        }
    }

    @Test(arguments: languages) func statusOfFarmaciaRossi(language: String) async throws {
        try await AssistantFixture.with { f in
            _ = try await EnrollmentService().enroll(.entities([EntityRef(type: .lead, id: "1")]), sequence: "intro",
                                                     workspace: f.workspace, on: f.db)
            let before = try await f.snapshot()
            let r = try await f.ask(pick(language, "Stato outreach Farmacia Rossi?", "Outreach status for Farmacia Rossi?"))
            #expect(r.intent == "check_status")
            #expect(r.entities == ["lead:1"])
            #expect(r.reply.contains("intro"))
            #expect(r.reply.contains(pick(language, "attiva", "active")))
            #expect(try await f.snapshot() == before)
        }
    }

    @Test(arguments: languages) func metrics(language: String) async throws {
        try await AssistantFixture.with { f in
            try await f.db.execute("""
                INSERT INTO outreach_executions (workspace_id, entity_type, entity_id, channel, idempotency_key, status, reason,
                                                 sent_at, delivered_at, opened_at)
                VALUES ($1, 'lead', '1', 'email', 'k1', 'opened', NULL, now(), now(), now()),
                       ($1, 'lead', '3', 'email', 'k2', 'delivered', NULL, now(), now(), NULL),
                       ($1, 'lead', '4', 'email', 'k3', 'blocked', 'no_consent', NULL, NULL, NULL),
                       ($2, 'lead', '9', 'email', 'k4', 'sent', NULL, now(), NULL, NULL)
                """, [f.workspace.id, f.other.id])
            let r = try await f.ask(pick(language, "Metriche outreach", "Outreach metrics"))
            #expect(r.intent == "outreach_metrics")
            #expect(r.action == "metrics")
            #expect(r.reply.contains(pick(language, "inviati 2", "sent 2")))
            #expect(r.reply.contains(pick(language, "bloccati 1", "blocked 1")))
            #expect(r.reply.contains("100.0%"))
        }
    }

    @Test(arguments: languages) func listTemplates(language: String) async throws {
        try await AssistantFixture.with { f in
            let r = try await f.ask(pick(language, "Quali template ho?", "Which templates do I have?"))
            #expect(r.intent == "list_templates")
            #expect(r.reply.contains("followup-wa"))
            #expect(r.reply.contains("intro-email"))
        }
    }

    @Test func pauseResumeCancel() async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            _ = try await EnrollmentService().enroll(.entities([EntityRef(type: .prospect, id: "2")]), sequence: "intro",
                                                     workspace: f.workspace, on: f.db)
            let status = "SELECT status FROM outreach_enrollments WHERE entity_id = '2'"
            var r = try await f.ask("Metti in pausa TechShop nella sequenza intro")
            #expect(r.intent == "pause_enrollment")
            #expect(try await f.db.query(status)[0].decode(0, as: String.self) == "paused")
            r = try await f.ask("Continue the intro sequence for TechShop")
            #expect(r.intent == "resume_enrollment")
            #expect(try await f.db.query(status)[0].decode(0, as: String.self) == "active")
            r = try await f.ask("Unenroll TechShop")
            #expect(r.intent == "cancel_enrollment")
            #expect(try await f.db.query(status)[0].decode(0, as: String.self) == "cancelled")
        }
    }
}

@Suite("Assistant: intelligent behaviours write nothing they should not")
struct AssistantBehaviourTests {
    @Test func providerNotConfigured() async throws {
        try await AssistantFixture.with { f in
            var env = AssistantFixture.providers
            env["WHATSAPP_ACCESS_TOKEN"] = nil
            let before = try await f.snapshot()
            let r = try await f.ask("Attiva WhatsApp", environment: env)
            #expect(r.intent == "manage_channels")
            #expect(r.action == "refused:provider_not_configured")
            #expect(r.reply.contains("credenziali"))
            #expect(try await f.snapshot() == before)
        }
    }

    @Test func channelNotEnabled() async throws {
        try await AssistantFixture.with { f in
            let before = try await f.snapshot()
            let r = try await f.ask("Send followup to TechShop")
            #expect(r.action == "refused:channel_not_enabled")
            #expect(r.reply.contains("Enable email"))
            #expect(try await f.snapshot() == before)
        }
    }

    @Test func consentMissing() async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            let before = try await f.snapshot()
            let r = try await f.ask("Manda followup a Luca Bianchi")
            #expect(r.intent == "send_message")
            #expect(r.action == "refused:consent_missing")
            #expect(r.reply.contains("consenso"))
            #expect(try await f.snapshot() == before)
            #expect(try await f.sendJobs == 0)
        }
    }

    @Test func dailyLimitReached() async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email, dailyLimit: 3)
            try await f.db.execute("""
                INSERT INTO outreach_daily_counters (workspace_id, channel, day, sent)
                VALUES ($1, 'email', (now() AT TIME ZONE 'Europe/Rome')::date, 3)
                """, [f.workspace.id])
            let before = try await f.snapshot()
            let r = try await f.ask("Manda followup a TechShop")
            #expect(r.action == "refused:daily_limit")
            #expect(r.reply.contains("domani"))
            #expect(try await f.snapshot() == before)
            // Yesterday's counter does not count today.
            try await f.db.execute("UPDATE outreach_daily_counters SET day = day - 1")
            #expect(try await f.ask("Send followup to TechShop").action == "send_queued")
        }
    }

    @Test func killSwitchRefusesWritesButNotReads() async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            try await f.db.execute("UPDATE outreach_settings SET value = 'true' WHERE key = 'kill_switch'")
            let before = try await f.snapshot()
            let send = try await f.ask("Manda followup a TechShop")
            #expect(send.action == "refused:kill_switch")
            #expect(send.reply.contains("kill switch"))
            let enroll = try await f.ask("Enroll new leads in the intro sequence")
            #expect(enroll.action == "refused:kill_switch")
            #expect(try await f.snapshot() == before)
            #expect(try await f.ask("Quali template ho?").action == "templates")
            #expect(try await f.ask("Outreach metrics").action == "metrics")
            #expect(try await f.ask("Stato outreach Farmacia Rossi?").action == "status")
            #expect(try await f.ask("Quali sequenze ho?").intent == "list_sequences")
        }
    }

    @Test func killSwitchFromEnvironment() async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            var env = AssistantFixture.providers
            env["OUTREACH_KILL_SWITCH"] = "true"
            let before = try await f.snapshot()
            #expect(try await f.ask("Send followup to TechShop", environment: env).action == "refused:kill_switch")
            #expect(try await f.snapshot() == before)
        }
    }

    @Test(arguments: ["Che tempo fa oggi?", "Tell me a joke", "", String(repeating: "a", count: 100_000),
                      "'; DROP TABLE outreach_contacts; --", "\u{0}\u{7}\u{1b}[31m"])
    func notOutreachWritesNothing(message: String) async throws {
        try await AssistantFixture.with { f in
            let before = try await f.snapshot()
            let r = try await f.ask(message)
            // SQL-looking text may read as an unclear request ("drop" ~ cancel): a question back, never an action.
            if !message.contains("DROP") { #expect(r.intent == nil) }
            #expect(r.action == nil)
            #expect(!r.reply.isEmpty)
            #expect(try await f.snapshot() == before)
        }
    }

    @Test func ambiguousNameAsksInsteadOfActing() async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            let before = try await f.snapshot()
            let r = try await f.ask("Manda followup a Rossi")
            #expect(r.action == nil)
            #expect(try await f.snapshot() == before)
        }
    }
}

@Suite("Assistant: tenants")
struct AssistantTenantTests {
    @Test func resellerNeverSeesAnotherWorkspace() async throws {
        try await AssistantFixture.with { f in
            let r = try await f.ask("Stato outreach Ottica Verdi?", role: .reseller)
            #expect(!r.entities.contains("lead:9"))
            #expect(!r.reply.contains("lead:9"))
            #expect(!r.reply.contains("Olga"))
            // Row-level security holds even if a lookup names the other workspace outright.
            let leaked = try await TenantScope.run(workspace: f.workspace.id, on: f.db) { tx in
                try await ContactStore().find(EntityRef(type: .lead, id: "9"), workspace: f.other.id, on: tx)
            }
            #expect(leaked == nil)
            let contacts = try await TenantScope.run(workspace: f.workspace.id, on: f.db) { tx in
                try await AssistantStore().contacts(for: "Ottica Verdi", workspace: f.other.id, on: tx)
            }
            #expect(contacts.isEmpty)
        }
    }

    @Test func resellerWritesRunUnderRowLevelSecurity() async throws {
        try await AssistantFixture.with { f in
            try await f.enable(.email)
            let r = try await f.ask("Iscrivi lead nuovi alla sequenza intro", role: .reseller)
            #expect(r.action == "enrolled")
            #expect(try await f.enrollments == 2)
            let send = try await f.ask("Manda followup a TechShop", role: .reseller)
            #expect(send.action == "send_queued")
            #expect(try await f.sendJobs == 1)
        }
    }
}
