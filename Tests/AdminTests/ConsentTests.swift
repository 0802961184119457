import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct ConsentTests {
    static let csv = """
        \(AdminFixture.header)
        lead,1,A,,a@example.com,,,new,
        lead,2,B,,b@example.com,,,new,
        prospect,3,C,Acme,c@example.com,,,contacted,

        """

    @Test func grantThenRevokeKeepsAnAppendOnlyHistory() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.importCSV(Self.csv)
        let lead1 = EntityRef(type: .lead, id: "1")

        let granted = try await f.run(["consent", "grant", "--workspace", "acme", "--channel", "email", "--entity", "lead:1",
                                       "--source", "web-form", "--lawful-basis", "consent"], environment: ["USER": "alice"])
        #expect(granted.status == 0, "\(granted.stderr)")
        #expect(granted.stdout.contains("email consent granted for 1 contact: lead:1"))

        let revoked = try await f.run(["consent", "revoke", "--workspace", "acme", "--channel", "email", "--entity", "lead:1", "--json"],
                                      environment: ["USER": "bob"])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(revoked.stdout.contains("\"count\":1"))

        let state = try await ConsentStore().current(for: lead1, workspace: f.workspace.id, on: f.db)
        #expect(state.count == 1)
        #expect(state[0].status == "revoked")
        #expect(state[0].version == 2)
        #expect(state[0].revokedAt != nil && state[0].grantedAt != nil)
        #expect(state[0].lawfulBasis == "consent", "a revocation keeps the basis the grant recorded")

        let history = try await ConsentStore().history(for: lead1, workspace: f.workspace.id, on: f.db)
        #expect(history.map(\.action) == [.grant, .revoke])
        #expect(history.map(\.actor) == ["alice", "bob"])
        #expect(history.map(\.source) == ["web-form", "cli"])

        // The history cannot be rewritten.
        await #expect(throws: PostgresError.self) {
            try await f.db.execute("UPDATE outreach_consent_history SET actor = 'mallory'")
        }
        await #expect(throws: PostgresError.self) { try await f.db.execute("DELETE FROM outreach_consent_history") }

        // Only deleting the whole workspace takes its history with it (the demo re-seeds that way).
        try await f.db.execute("DELETE FROM outreach_workspaces WHERE id = $1", [f.workspace.id])
        #expect(try await f.count("SELECT count(*)::int FROM outreach_consent_history") == 0)
    }

    @Test func whereSelectsByStatusAndCompanyWithValuesAsData() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.importCSV(Self.csv)
        let byStatus = try await ConsentService().change(
            .grant, channel: .telegram, for: try ContactSelector(entities: [], filters: ["status=new"]), workspace: f.workspace,
            source: nil, lawfulBasis: nil, actor: "t", on: f.db)
        #expect(byStatus.entities == ["lead:1", "lead:2"])
        let byCompany = try await f.run(["consent", "grant", "--workspace", "acme", "--channel", "whatsapp",
                                         "--where", "company=Acme", "--where", "entity_type=prospect"])
        #expect(byCompany.status == 0, "\(byCompany.stderr)")
        #expect(byCompany.stdout.contains("prospect:3"))
        // A value that looks like SQL is just a value that matches nothing.
        let injection = try await f.run(["consent", "grant", "--workspace", "acme", "--channel", "email",
                                         "--where", "status=new' OR '1'='1"])
        #expect(injection.status == 0)
        #expect(injection.stdout.contains("for 0 contacts"))
        #expect(try await f.count("SELECT count(*)::int FROM outreach_consent WHERE channel = 'email'") == 0)
    }

    @Test func unknownEntityOrBadSelectorExitsTwoAndChangesNothing() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.importCSV(Self.csv)
        let unknown = try await f.run(["consent", "grant", "--workspace", "acme", "--channel", "email",
                                       "--entity", "lead:1", "--entity", "lead:999"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("lead:999"), "\(unknown.stderr)")
        #expect(try await f.count("SELECT count(*)::int FROM outreach_consent") == 0)

        for args in [["--where", "name=x"], ["--where", "status"], ["--entity", "lead:1", "--where", "status=new"], [],
                     ["--entity", "customer:1"]] {
            let bad = try await f.run(["consent", "grant", "--workspace", "acme", "--channel", "email"] + args)
            #expect(bad.status == 2, "\(args): \(bad.stderr)")
            #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        }
        let badChannel = try await f.run(["consent", "grant", "--workspace", "acme", "--channel", "sms", "--entity", "lead:1"])
        #expect(badChannel.status == 2)
        let badWorkspace = try await f.run(["consent", "grant", "--workspace", "nope", "--channel", "email", "--entity", "lead:1"])
        #expect(badWorkspace.status == 2)
        #expect(badWorkspace.stderr.contains("nope"))
    }
}
