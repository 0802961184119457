import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct ContactImportTests {
    @Test func goodFileImportsAndReimportUpdatesOnlyWhatChanged() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let csv = """
            \(AdminFixture.header)
            lead,1,Mario Rossi,Farmacia Rossi,mario@example.it,+39 333 123 4567,,new,Europe/Rome
            prospect,acme-7,Jane Doe,Acme,jane@acme.com,,123456789,contacted,
            lead,2,,,,,,,

            """
        let report = try await f.importCSV(csv)
        #expect(report.rows == 3 && report.imported == 3 && report.updated == 0 && report.unchanged == 0)
        #expect(report.consentGranted.isEmpty && report.consentKept == 0)
        let row = try await f.db.query("SELECT phone, status, timezone, company FROM outreach_contacts WHERE entity_id = '1'")[0]
        #expect(try row.decode("phone", as: String?.self) == "+393331234567")
        #expect(try row.decode("timezone", as: String?.self) == "Europe/Rome")
        let empty = try await ContactStore().find(EntityRef(type: .lead, id: "2"), workspace: f.workspace.id, on: f.db)
        #expect(empty?.status == "new")
        #expect(empty?.email == nil)

        let changed = csv.replacingOccurrences(of: "contacted", with: "replied")
        let again = try await f.importCSV(changed)
        #expect(again.imported == 0 && again.updated == 1 && again.unchanged == 2)
    }

    @Test func quotedFieldsCommasDoubledQuotesNewlinesBOMAndCRLF() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let csv = "\u{FEFF}\(AdminFixture.header),consent\r\n"
            + "lead,q1,\"Rossi, Mario\",\"Bar \"\"Da Mario\"\"\",m@example.it,,,new,,\r\n"
            + "lead,q2,\"Two\nLines\",\"Caffè Ünïcode ☕\",,,,new,,\"email;telegram\"\r\n"
        let report = try await f.importCSV(csv)
        #expect(report.imported == 2)
        let one = try #require(try await ContactStore().find(EntityRef(type: .lead, id: "q1"), workspace: f.workspace.id, on: f.db))
        #expect(one.name == "Rossi, Mario")
        #expect(one.company == "Bar \"Da Mario\"")
        let two = try #require(try await ContactStore().find(EntityRef(type: .lead, id: "q2"), workspace: f.workspace.id, on: f.db))
        #expect(two.name == "Two\nLines")
        #expect(two.company == "Caffè Ünïcode ☕")
        #expect(report.consentGranted == ["email": 1, "telegram": 1])
    }

    @Test func oneBadRowInTheMiddleRejectsTheWholeFileWithItsLineNumber() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        var lines = [AdminFixture.header]
        for i in 1...10 { lines.append("lead,\(i),Name \(i),,user\(i)@example.com,,,new,") }
        // Line 7 of the file (header is line 1): a bad email. Line 9: a bad phone.
        lines[6] = "lead,6,Bad,,not-an-email,,,new,"
        lines[8] = "lead,8,Bad,,,12ab,,new,"
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n", ext: "csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await f.run(["contacts", "import", "--workspace", "acme", path])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("2 bad rows; nothing was imported"), "\(result.stderr)")
        #expect(result.stderr.contains("line 7: email 'not-an-email' is not a valid address"), "\(result.stderr)")
        #expect(result.stderr.contains("line 9: phone '12ab'"), "\(result.stderr)")
        #expect(try await f.count("SELECT count(*)::int FROM outreach_contacts") == 0)
    }

    @Test func everyKindOfBadRowIsReported() throws {
        let csv = """
            \(AdminFixture.header),consent
            client,1,,,,,,,,
            lead,,,,,,,,,
            lead,3,,,,+12,,,,
            lead,4,,,,,,,Mars/Olympus,
            lead,5,,,,,,,,sms
            lead,6,,,,,abc,,,
            lead,7,,,
            lead,8,,,,,,,,email
            lead,8,,,,,,,,
            """
        let parsed = try ContactCSV.read(Array(csv.utf8))
        #expect(parsed.records.count == 1)
        #expect(parsed.errors.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 10])
        #expect(parsed.errors[0].reason.contains("'client' is not lead or prospect"))
        #expect(parsed.errors[1].reason.contains("entity_id is empty"))
        #expect(parsed.errors[3].reason.contains("Mars/Olympus"))
        #expect(parsed.errors[4].reason.contains("'sms'"))
        #expect(parsed.errors[6].reason.contains("has 5 fields, the header has 10"))
        #expect(parsed.errors[7].reason.contains("first on line 9"))
    }

    @Test func headerProblemsNameTheColumns() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let path = try temporaryFile("\(AdminFixture.header),notes,score\nlead,1,,,,,,,,x,1\n", ext: "csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await f.run(["contacts", "import", "--workspace", "acme", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown columns 'notes', 'score'"), "\(result.stderr)")
        #expect(throws: OutreachError.self) { try ContactCSV.read(Array("entity_type,entity_id\nlead,1\n".utf8)) }
        #expect(throws: OutreachError.self) { try ContactCSV.read(Array("\(AdminFixture.header)\nlead,\"1,,,,,,,\n".utf8)) }
        #expect(throws: OutreachError.self) { try ContactCSV.read([0x65, 0x6E, 0xFF, 0x0A]) }
    }

    @Test func consentColumnGrantsWithHistoryAndNeverOverridesARevocation() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        let csv = """
            \(AdminFixture.header),consent
            lead,1,A,,a@example.com,+391234567,,new,,email;whatsapp
            lead,2,B,,b@example.com,,,new,,email
            lead,3,C,,,,,new,,

            """
        let first = try await f.importCSV(csv)
        #expect(first.consentGranted == ["email": 2, "whatsapp": 1])
        #expect(try await f.count("SELECT count(*)::int FROM outreach_consent WHERE status = 'granted' AND source = 'import'") == 3)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_consent_history WHERE action = 'grant' AND source = 'import' AND actor = 'test'") == 3)

        // lead:2 revokes email; a re-import of the same file keeps the revocation and adds no history.
        _ = try await ConsentService().change(.revoke, channel: .email, for: .entities([EntityRef(type: .lead, id: "2")]),
                                          workspace: f.workspace, source: "unsubscribe", lawfulBasis: nil, actor: "test", on: f.db)
        let second = try await f.importCSV(csv)
        #expect(second.consentGranted == ["email": 0, "whatsapp": 0])
        #expect(second.consentKept == 3)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_consent WHERE entity_id = '2' AND status = 'revoked'") == 1)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_consent_history") == 4)
    }

    @Test func largeFileImportsInBatchesInOneTransaction() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        var text = AdminFixture.header + ",consent\n"
        let n = 12_345
        for i in 0..<n { text += "lead,\(i),Name \(i),Co \(i % 10),u\(i)@example.com,+3900\(100000 + i),,new,,email\n" }
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await f.importCSV(text)
        let elapsed = clock.now - start
        #expect(report.imported == n)
        #expect(report.consentGranted["email"] == n)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_contacts") == n)
        print("imported \(n) contacts with consent in \(elapsed)")
    }
}
