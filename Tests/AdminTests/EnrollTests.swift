import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct EnrollTests {
    static let csv = """
        \(AdminFixture.header)
        lead,1,A,,,,,new,
        lead,2,B,,,,,new,
        lead,3,C,,,,,contacted,
        prospect,4,D,,,,,new,

        """

    @Test func enrollByEntityThenByWhereAndTwiceIsANoOp() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.importCSV(Self.csv)
        try await f.makeSequence("intro", firstDelay: "2h")

        let one = try await f.run(["enroll", "--workspace", "acme", "--sequence", "intro", "--entity", "lead:3"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("intro: 1 enrolled, 0 already enrolled"), "\(one.stdout)")

        let row = try await f.db.query("""
            SELECT status, current_step, version, contact_id = (SELECT id FROM outreach_contacts WHERE entity_id = '3') AS same_contact,
                   extract(epoch FROM next_run_at - now())::int AS due_in
            FROM outreach_enrollments WHERE entity_id = '3'
            """)[0]
        #expect(try row.decode("status", as: String.self) == "active")
        #expect(try row.decode("current_step", as: Int.self) == 1)
        #expect(try row.decode("same_contact", as: Bool.self))
        #expect((7190...7200).contains(try row.decode("due_in", as: Int.self)))

        let byWhere = try await f.run(["enroll", "--workspace", "acme", "--sequence", "intro", "--where", "status=new", "--json"])
        #expect(byWhere.status == 0, "\(byWhere.stderr)")
        #expect(byWhere.stdout.contains("\"already_enrolled\":0") && byWhere.stdout.contains("\"enrolled\":3"), "\(byWhere.stdout)")

        let again = try await EnrollmentService().enroll(.filter(ContactFilter(status: "new", entityType: .lead)), sequence: "intro",
                                                         workspace: f.workspace, on: f.db)
        #expect(again.matched == 2 && again.enrolled == 0 && again.alreadyEnrolled == 2)
        let twice = try await f.run(["enroll", "--workspace", "acme", "--sequence", "intro", "--entity", "lead:3", "--entity", "lead:1"])
        #expect(twice.stdout.contains("0 enrolled, 2 already enrolled"), "\(twice.stdout)")
        #expect(try await f.count("SELECT count(*)::int FROM outreach_enrollments") == 4)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_enrollments WHERE version = 1") == 4)
    }

    @Test func unknownEntityOrSequenceExitsTwoAndEnrollsNobody() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.importCSV(Self.csv)
        try await f.makeSequence()
        let unknown = try await f.run(["enroll", "--workspace", "acme", "--sequence", "intro", "--entity", "lead:1",
                                       "--entity", "prospect:nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no contact prospect:nope"), "\(unknown.stderr)")
        let noSequence = try await f.run(["enroll", "--workspace", "acme", "--sequence", "outro", "--entity", "lead:1"])
        #expect(noSequence.status == 2)
        #expect(noSequence.stderr.contains("no sequence named 'outro'"))
        #expect(try await f.count("SELECT count(*)::int FROM outreach_enrollments") == 0)
    }
}
