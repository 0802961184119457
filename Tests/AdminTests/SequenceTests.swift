import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct SequenceTests {
    static let json = """
        {"name": "intro",
         "send_window": {"days": "mon-fri", "hours": "09:00-18:00"},
         "steps": [
           {"channel": "email",    "template": "intro-email", "delay": "0h",  "condition": "always"},
           {"channel": "whatsapp", "template": "followup-wa", "delay": "48h", "condition": "no_reply",
            "whatsapp_template": {"name": "followup_v1", "language": "it"}},
           {"channel": "telegram", "template": "nudge-tg",    "delay": "72h", "condition": "no_open"}]}
        """

    static let yaml = """
        name: nurture
        steps:
          - channel: email
            template: intro-email
            delay: 30m
          - channel: telegram
            template: nudge-tg
            delay: 2d
            condition: opened
        """

    func templates(_ f: AdminFixture) async throws {
        try await f.addTemplate("intro-email", .email)
        try await f.addTemplate("followup-wa", .whatsapp)
        try await f.addTemplate("nudge-tg", .telegram)
    }

    @Test func createFromJSONAndYAMLThenList() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await templates(f)
        let jsonPath = try temporaryFile(Self.json, ext: "json")
        let yamlPath = try temporaryFile(Self.yaml, ext: "yaml")
        defer { for p in [jsonPath, yamlPath] { try? FileManager.default.removeItem(atPath: p) } }

        let a = try await f.run(["sequence", "create", "--workspace", "acme", "--file", jsonPath])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("created sequence intro with 3 steps"))
        let b = try await f.run(["sequence", "create", "--workspace", "acme", "--file", yamlPath, "--json"])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("\"step_count\":2"))

        let steps = try await f.db.query("""
            SELECT st.position, st.channel, st.template_name, extract(epoch FROM st.delay)::int AS secs, st.condition,
                   st.whatsapp_template->>'name' AS wa, s.send_window->>'days' AS days, s.send_window->>'hours' AS hours
            FROM outreach_sequence_steps st JOIN outreach_sequences s ON s.id = st.sequence_id
            WHERE s.name = 'intro' ORDER BY st.position
            """)
        #expect(try steps.decode("position", as: Int.self) == [1, 2, 3])
        #expect(try steps.decode("secs", as: Int.self) == [0, 172_800, 259_200])
        #expect(try steps.decode("condition", as: String.self) == ["always", "no_reply", "no_open"])
        #expect(try steps.decode("wa", as: String?.self) == [nil, "followup_v1", nil])
        #expect(try steps[0].decode("days", as: String.self) == "mon-fri")
        #expect(try steps[0].decode("hours", as: String.self) == "09:00-18:00")
        let yamlSteps = try await f.db.query("""
            SELECT extract(epoch FROM st.delay)::int AS secs, st.condition FROM outreach_sequence_steps st
            JOIN outreach_sequences s ON s.id = st.sequence_id WHERE s.name = 'nurture' ORDER BY st.position
            """)
        #expect(try yamlSteps.decode("secs", as: Int.self) == [1800, 172_800])
        #expect(try yamlSteps.decode("condition", as: String.self) == ["always", "opened"])

        try await f.importCSV("\(AdminFixture.header)\nlead,1,,,,,,new,\nlead,2,,,,,,new,\n")
        _ = try await EnrollmentService().enroll(.filter(ContactFilter(status: "new")), sequence: "intro", workspace: f.workspace, on: f.db)
        let list = try await f.run(["sequence", "list", "--workspace", "acme"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("intro\temail:intro-email+0h → whatsapp:followup-wa+48h → telegram:nudge-tg+72h\tactive 2"), "\(list.stdout)")
        #expect(list.stdout.contains("active 2\t(window mon-fri 09:00-18:00)"), "\(list.stdout)")
        #expect(list.stdout.contains("nurture\temail:intro-email+30m → telegram:nudge-tg+48h\tno enrollments"), "\(list.stdout)")
        let listJSON = try await f.run(["sequence", "list", "--workspace", "acme", "--json"])
        #expect(listJSON.stdout.contains("\"enrollments\":{\"active\":2}"), "\(listJSON.stdout)")
    }

    @Test func missingTemplateDuplicateNameAndBadFilesAreRejected() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.addTemplate("intro-email", .email)
        try await f.addTemplate("followup-wa", .whatsapp)
        // nudge-tg is missing, and a template of the same name on another channel does not count.
        try await f.addTemplate("nudge-tg", .whatsapp)
        let path = try temporaryFile(Self.json, ext: "json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let missing = try await f.run(["sequence", "create", "--workspace", "acme", "--file", path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("step 3: no telegram template named 'nudge-tg'"), "\(missing.stderr)")
        #expect(try await f.count("SELECT count(*)::int FROM outreach_sequences") == 0)

        try await f.addTemplate("nudge-tg", .telegram)
        #expect(try await f.run(["sequence", "create", "--workspace", "acme", "--file", path]).status == 0)
        let duplicate = try await f.run(["sequence", "create", "--workspace", "acme", "--file", path])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("sequence 'intro' already exists"), "\(duplicate.stderr)")
        #expect(try await f.count("SELECT count(*)::int FROM outreach_sequence_steps") == 3)

        let cases: [(String, String, String)] = [
            ("{\"name\":\"x\",\"steps\":[{\"channel\":\"sms\",\"template\":\"t\"}]}", "json", "steps[1].channel is not one of"),
            ("{\"name\":\"x\",\"steps\":[{\"channel\":\"email\",\"template\":\"intro-email\",\"condition\":\"maybe\"}]}", "json",
             "steps[1].condition is not one of"),
            ("{\"name\":\"x\",\"steps\":[{\"channel\":\"email\",\"template\":\"intro-email\",\"delay\":\"-1h\"}]}", "json", "delay '-1h'"),
            ("{\"name\":\"x\",\"steps\":[{\"channel\":\"email\",\"template\":\"intro-email\",\"conditon\":\"no_reply\"}]}", "json",
             "unknown key 'steps[1].conditon'"),
            ("name: x\nsteps: []\n", "yaml", "has no steps"),
            ("name: x\nsteps:\n  - channel: email\n", "yml", "steps[1].template is missing"),
            ("{not json", "json", "not valid JSON"),
        ]
        for (text, ext, expected) in cases {
            let p = try temporaryFile(text, ext: ext)
            defer { try? FileManager.default.removeItem(atPath: p) }
            let r = try await f.run(["sequence", "create", "--workspace", "acme", "--file", p])
            #expect(r.status == 2, "\(text): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(text): \(r.stderr)")
        }
    }
}
