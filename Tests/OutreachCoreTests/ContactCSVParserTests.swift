import OutreachCore
import Testing

@Suite struct ContactCSVParserTests {
    func parse(_ text: String) throws -> [CSVParser.Record] { try CSVParser.parse(Array(text.utf8)) }

    @Test func rfc4180Quoting() throws {
        let records = try parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,\"\"\n\nlast,row")
        #expect(records == [
            .init(line: 1, fields: ["a", "b,c", "say \"hi\""]),
            .init(line: 2, fields: ["multi\nline", "", ""]),
            .init(line: 5, fields: ["last", "row"]),
        ])
    }

    @Test func byteOrderMarkAndTrailingNewlineAreTolerated() throws {
        #expect(try CSVParser.parse([0xEF, 0xBB, 0xBF] + Array("x,y\n".utf8)) == [.init(line: 1, fields: ["x", "y"])])
    }

    @Test func malformedInputNamesTheLine() {
        #expect(throws: OutreachError.badInput("line 2: a quoted field is never closed")) { try parse("a\n\"open,b\nc\n") }
        #expect(throws: OutreachError.self) { try parse("a\nb\"c\n") }
        #expect(throws: OutreachError.self) { try parse("\"a\"b\n") }
        #expect(throws: OutreachError.badInput("line 3: the file is not UTF-8 text")) { try CSVParser.parse(Array("a\nb\n".utf8) + [0xC3, 0x28]) }
    }

    @Test func contactRules() {
        #expect(ContactRules.isValidEmail("mario.rossi+x@farmacia-rossi.it"))
        for bad in ["", "a", "a@b", "a@@b.it", "a b@c.it", "a@-b.it", "<a@b.it>", "a@b..it"] {
            #expect(!ContactRules.isValidEmail(bad), "\(bad)")
        }
        #expect(ContactRules.normalizedPhone("+39 (333) 123-4567") == "+393331234567")
        #expect(ContactRules.normalizedPhone("12345") == nil)
        #expect(ContactRules.normalizedPhone("39+333123") == nil)
        #expect(ContactRules.normalizedPhone("333abc4567") == nil)
        #expect(ContactRules.isValidTelegramChatID("-100123"))
        #expect(!ContactRules.isValidTelegramChatID("@bot"))
    }

    @Test func whereFilterIsStrict() throws {
        #expect(try ContactFilter(parsing: ["status=new", "company=A=B, Inc."]) == ContactFilter(status: "new", company: "A=B, Inc."))
        for bad in [["name=x"], ["status"], ["status="], ["status=a", "status=b"], ["entity_type=customer"], ["Status=new"]] {
            #expect(throws: OutreachError.self, "\(bad)") { try ContactFilter(parsing: bad) }
        }
        #expect(throws: OutreachError.self) { try ContactSelector(entities: [], filters: []) }
        #expect(try ContactSelector(entities: ["lead:1", "lead:1", "prospect:a:b"], filters: [])
            == .entities([EntityRef(type: .lead, id: "1"), EntityRef(type: .prospect, id: "a:b")]))
    }

    @Test func enrollmentActionsFollowTheLifecycle() {
        #expect(EnrollmentAction.pause.verdict(from: .active) == .apply)
        #expect(EnrollmentAction.pause.verdict(from: .paused) == .already)
        #expect(EnrollmentAction.resume.verdict(from: .completed) == .refused("cannot resume an enrollment that is completed"))
        #expect(EnrollmentAction.cancel.verdict(from: .paused) == .apply)
        #expect(EnrollmentAction.cancel.verdict(from: .replied) != .apply)
    }
}
