import Foundation
import Postgres
import Testing
import TestSupport

/// `outreach workspace create` and `outreach template add|list|validate` as a user runs them:
/// bad input exits 2 with the reason and writes nothing.
@Suite struct TemplateCommandTests {
    @Test func templatesAreValidatedBeforeAnythingIsWritten() async throws {
        try await TestDatabase.withDatabase { url in
            let env = ["DATABASE_URL": url]
            #expect(try await OutreachProcess.run(["migrate"], environment: env).status == 0)
            let created = try await OutreachProcess.run(["workspace", "create", "acme", "--timezone", "Europe/Rome"], environment: env)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(try await OutreachProcess.run(["workspace", "create", "acme"], environment: env).status != 0)
            #expect(try await OutreachProcess.run(["workspace", "create", "x", "--timezone", "Mars/Base"], environment: env).status == 2)

            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpl-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            func file(_ name: String, _ bytes: [UInt8]) throws -> String {
                let path = dir.appendingPathComponent(name).path
                FileManager.default.createFile(atPath: path, contents: Data(bytes))
                return path
            }
            let good = try file("good.txt", Array("Ciao {{name}}{{#if company}} di {{company}}{{else}}!{{/if}}".utf8))
            let unknown = try file("unknown.txt", Array("Ciao {{name}},\n{{favourite_colour_zz}}!".utf8))
            let latin1 = try file("latin1.txt", [0x43, 0x69, 0x61, 0x6F, 0x20, 0xE8, 0xFF])
            let html = try file("mail.html", Array("<p>Ciao {{first_name}}</p><p>{{{name}}}</p>".utf8))

            func add(_ extra: [String]) async throws -> OutreachProcess.Result {
                try await OutreachProcess.run(["template", "add", "--workspace", "acme"] + extra, environment: env)
            }
            let ok = try await add(["--name", "t1", "--channel", "whatsapp", "--body-file", good])
            #expect(ok.status == 0, "\(ok.stderr)")

            let bad = try await add(["--name", "t2", "--channel", "whatsapp", "--body-file", unknown])
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("favourite_colour_zz"))
            #expect(bad.stderr.contains("line 2"))
            #expect(try await add(["--name", "t3", "--channel", "sms", "--body-file", good]).status == 2)
            let missing = try await add(["--name", "t4", "--channel", "telegram", "--body-file", dir.path + "/nope.txt"])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("nope.txt"))
            let notUTF8 = try await add(["--name", "t5", "--channel", "telegram", "--body-file", latin1])
            #expect(notUTF8.status == 2)
            #expect(notUTF8.stderr.contains("UTF-8"))
            // Raw values in email HTML could inject markup: refused.
            let raw = try await add(["--name", "t6", "--channel", "email", "--subject", "Hi", "--body-file", html])
            #expect(raw.status == 2)
            #expect(try await OutreachProcess.run(["template", "add", "--workspace", "nobody", "--name", "t7", "--channel", "whatsapp",
                                                   "--body-file", good], environment: env).status == 2)

            let listed = try await OutreachProcess.run(["template", "list", "--workspace", "acme", "--json"], environment: env)
            #expect(listed.status == 0)
            #expect(listed.stdout.contains("\"t1\""))
            let db = try await PostgresConnection.connect(url)
            defer { db.close() }
            #expect(try await db.query("SELECT count(*)::int AS n FROM outreach_templates")[0].decode("n", as: Int.self) == 1)

            let validated = try await OutreachProcess.run(["template", "validate", "--workspace", "acme", "--name", "x", "--channel", "telegram",
                                                           "--body-file", good], environment: env)
            #expect(validated.status == 0)
            #expect(validated.stdout.contains("company"))
        }
    }
}
