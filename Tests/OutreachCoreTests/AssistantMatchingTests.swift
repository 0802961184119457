import Foundation
@testable import OutreachCore
import Testing

@Suite("Assistant: folding, typo tolerance, periods, language")
struct AssistantMatchingTests {
    @Test func foldsCaseAndAccents() {
        #expect(NormalizedText.words("Caffè CITTÀ, l'iscrizione!") == ["caffe", "citta", "l", "iscrizione"])
    }

    @Test func damerauLevenshteinCountsTranspositionsOnce() {
        #expect(FuzzyMatch.damerauLevenshtein(FuzzyMatch.codes("techshpo"), FuzzyMatch.codes("techshop")) == 1)
        #expect(FuzzyMatch.damerauLevenshtein(FuzzyMatch.codes("rosi"), FuzzyMatch.codes("rossi")) == 1)
        #expect(FuzzyMatch.damerauLevenshtein(FuzzyMatch.codes(""), FuzzyMatch.codes("abc")) == 3)
        #expect(FuzzyMatch.damerauLevenshtein(FuzzyMatch.codes("kitten"), FuzzyMatch.codes("sitting")) == 3)
    }

    @Test func toleranceGrowsWithLength() {
        #expect(FuzzyMatch.distance("wa", "tg") == nil)            // short: exact only
        #expect(FuzzyMatch.distance("rosi", "rossi") == 1)          // up to 8: one edit
        #expect(FuzzyMatch.distance("rosssii", "rossi") == nil)
        #expect(FuzzyMatch.distance("farmaciarosi", "farmaciarossi") == 1)
        #expect(FuzzyMatch.distance("famraciarosi", "farmaciarossi") == 2)   // longer: two
        #expect(FuzzyMatch.distance("fmraciarsi", "farmaciarossi") == nil)
    }

    @Test func periodsBecomeIntervals() throws {
        let rome = try #require(TimeZone(identifier: "Europe/Rome"))
        let now = try #require(ISO8601DateFormatter().date(from: "2026-03-12T10:00:00Z"))   // a Thursday
        #expect(AssistantPeriod.today.interval(now: now, timeZone: rome).start
            == ISO8601DateFormatter().date(from: "2026-03-11T23:00:00Z"))
        #expect(AssistantPeriod.thisWeek.interval(now: now, timeZone: rome).start
            == ISO8601DateFormatter().date(from: "2026-03-08T23:00:00Z"))
        #expect(AssistantPeriod.thisMonth.interval(now: now, timeZone: rome).start
            == ISO8601DateFormatter().date(from: "2026-02-28T23:00:00Z"))
        #expect(AssistantPeriod.lastDays(7).interval(now: now, timeZone: rome).duration == 7 * 86_400)
        #expect(AssistantPeriod.yesterday.interval(now: now, timeZone: rome).duration == 86_400)
        #expect(AssistantPeriod.lastDays(7).sinceArgument == "7d")
    }

    @Test func filterBecomesWhereTerms() {
        #expect(ContactFilter.newLeads.whereTerms == ["status=new", "entity_type=lead"])
    }

    @Test func tieFallsBackToTheContextLanguage() {
        var context = AssistantFixture.context
        #expect(IntentParser.parse("WhatsApp", context: context).language == .it)
        context.defaultLanguage = .en
        #expect(IntentParser.parse("WhatsApp", context: context).language == .en)
    }

    @Test func intentRawNamesAreTheContract() {
        #expect(Intent.allCases.map(\.rawValue) == [
            "enroll_entity", "cancel_enrollment", "pause_enrollment", "resume_enrollment", "send_message",
            "check_status", "manage_channels", "list_templates", "list_sequences", "outreach_metrics",
        ])
        #expect(Intent.allCases.filter(\.isWrite).count == 6)
    }

    @Test func displayNameCombinesNameAndCompany() {
        #expect(AssistantFixture.giulia.displayName == "Giulia Rossi (Farmacia Rossi)")
        #expect(AssistantFixture.mario.displayName == "Mario Rossi")
        #expect(AssistantContact(entity: EntityRef(type: .lead, id: "9"), name: "").displayName == "lead:9")
    }
}
