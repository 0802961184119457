import Foundation
import Testing
import TestSupport

/// Every process logs JSON lines; no secret, token or message body ever reaches them.
@Suite(.serialized) struct LoggingTests {
    @Test func workerLogsAreJSONWithoutSecretsOrBodies() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 5)
        try await f.db.query("UPDATE outreach_templates SET body = 'SECRET-BODY-MARKER {{name}}' WHERE channel = 'telegram'")
        let seq = try await f.seedSequence(ws, name: "t", steps: [("telegram", "tg", 0), ("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: seq)
        // One contact's address is refused by the provider, so an error path is logged too.
        try await f.db.query("UPDATE outreach_contacts SET telegram_chat_id = '403403' WHERE entity_id = '1'")
        _ = try await f.run(["scheduler", "--once"])
        let secrets = ["RESEND_API_KEY": "re_SECRET_resend_key_0123456789", "TELEGRAM_BOT_TOKEN": "987654:SECRET_bot_token_abcdef",
                       "WHATSAPP_ACCESS_TOKEN": "EAASECRETwhatsapptoken", "RESEND_WEBHOOK_SECRET": "whsec_U0VDUkVUd2ViaG9vaw==",
                       "OUTREACH_LOG_LEVEL": "debug", "DATABASE_URL": f.url]
        let worker = try OutreachProcess.start(["worker", "--name", "logs"], environment: f.environment.merging(secrets) { $1 })
        try await f.waitForQuiet()
        worker.terminate()
        let result = try await OutreachProcess.wait(worker)
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count >= 2, "no logs: \(result.stderr)")
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["time"] != nil && object?["message"] != nil && object?["process"] != nil,
                    "not a JSON log line: \(line)")
            let time = object?["time"] as? String ?? ""
            #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "time is not ISO 8601 UTC: \(time)")
        }
        for secret in secrets.values where secret != "debug" && secret != f.url {
            #expect(!result.stderr.contains(secret), "a secret reached the logs")
        }
        #expect(!result.stderr.contains("SECRET_bot_token"))
        #expect(!result.stderr.contains("SECRET-BODY-MARKER"), "a message body reached the logs")
        await f.stop()
    }
}
