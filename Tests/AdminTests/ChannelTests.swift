import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct ChannelTests {
    @Test func enableDisableAndListAllThreeChannels() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let env = ["RESEND_FROM": "Acme <hello@acme.test>", "WHATSAPP_PHONE_NUMBER_ID": "1055"]

        let email = try await f.run(["channel", "enable", "--workspace", "acme", "--channel", "email", "--daily-limit", "100"],
                                    environment: env)
        #expect(email.status == 0, "\(email.stderr)")
        #expect(email.stdout.contains("from Acme <hello@acme.test>"), "\(email.stdout)")

        let wa = try await f.run(["channel", "enable", "--workspace", "acme", "--channel", "whatsapp", "--phone-number-id", "777"],
                                 environment: env)
        #expect(wa.status == 0, "\(wa.stderr)")

        // Disabling keeps the limit and sender; a later enable without --from keeps the stored sender.
        #expect(try await f.run(["channel", "disable", "--workspace", "acme", "--channel", "email"]).status == 0)
        var list = try await ChannelService().list(workspace: f.workspace, on: f.db)
        #expect(list.map(\.channel) == [.email, .whatsapp, .telegram])
        #expect(list[0].enabled == false && list[0].dailyLimit == 100 && list[0].sender == ["from": "Acme <hello@acme.test>"])
        #expect(list[1].enabled && list[1].sender == ["phone_number_id": "777"])
        #expect(!list[2].configured && !list[2].enabled)

        _ = try await ChannelService().configure(.email, enabled: true, dailyLimit: nil, from: nil, phoneNumberID: nil,
                                                 environment: ["RESEND_FROM": "Other <o@x.test>"], workspace: f.workspace, on: f.db)
        _ = try await ChannelService().configure(.email, enabled: true, dailyLimit: 5, from: "New <new@acme.test>", phoneNumberID: nil,
                                                 environment: [:], workspace: f.workspace, on: f.db)
        list = try await ChannelService().list(workspace: f.workspace, on: f.db)
        #expect(list[0].enabled && list[0].dailyLimit == 5 && list[0].sender == ["from": "New <new@acme.test>"])

        // Today's count is the workspace's local day.
        try await f.db.execute("""
            INSERT INTO outreach_daily_counters (workspace_id, channel, day, sent)
            VALUES ($1, 'email', (now() AT TIME ZONE 'Europe/Rome')::date, 42),
                   ($1, 'email', (now() AT TIME ZONE 'Europe/Rome')::date - 1, 99)
            """, [f.workspace.id])
        let text = try await f.run(["channel", "list", "--workspace", "acme"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("sent today 42/5"), "\(text.stdout)")
        #expect(text.stdout.split(separator: "\n").count == 3)
        let json = try await f.run(["channel", "list", "--workspace", "acme", "--json"])
        #expect(json.stdout.contains("\"sent_today\":42"), "\(json.stdout)")
        #expect(json.stdout.contains("\"channel\":\"telegram\""))
    }

    @Test func badSettingsExitTwo() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        for args in [["--channel", "telegram", "--from", "a@b.co"], ["--channel", "email", "--from", "not an address"],
                     ["--channel", "email", "--phone-number-id", "1"], ["--channel", "email", "--daily-limit", "-1"],
                     ["--channel", "fax"]] {
            let r = try await f.run(["channel", "enable", "--workspace", "acme"] + args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
        }
        #expect(try await f.count("SELECT count(*)::int FROM outreach_channel_config") == 0)
    }
}
