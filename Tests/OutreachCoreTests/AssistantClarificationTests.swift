import OutreachCore
import Testing

@Suite("Assistant: ambiguity and missing pieces get a question, never an action")
struct AssistantClarificationTests {
    typealias F = AssistantFixture

    @Test func twoRossiAreListed() throws {
        let parsed = F.parse("Stato di Rossi")
        #expect(parsed.intent == .checkStatus)
        #expect(!parsed.isActionable)
        let clarification = try #require(parsed.clarification)
        #expect(clarification.reason == .ambiguousContact(query: "Rossi", candidates: [F.giulia, F.mario]))
        #expect(clarification.question.contains("Giulia Rossi") && clarification.question.contains("Mario Rossi"))
        #expect(clarification.question.contains("lead:1") && clarification.question.contains("lead:3"))
    }

    @Test func twoRossiInEnglish() throws {
        let clarification = try #require(F.parse("Pause outreach for Rossi").clarification)
        guard case let .ambiguousContact(_, candidates) = clarification.reason else {
            Issue.record("expected an ambiguous contact, got \(clarification.reason)")
            return
        }
        #expect(candidates.map(\.entity.description) == ["lead:1", "lead:3"])
        #expect(clarification.question.hasPrefix("Several contacts match"))
    }

    @Test func enrollWithoutTargetAsksWho() throws {
        let parsed = F.parse("Iscrivi alla sequenza")
        #expect(parsed.intent == .enrollEntity)
        #expect(parsed.clarification?.reason == .missing(.target))
        #expect(parsed.clarification?.question.hasPrefix("A quali contatti?") == true)
    }

    @Test func enrollWithoutSequenceAsksWhich() {
        let parsed = F.parse("Enroll TechShop")
        #expect(parsed.entities == [F.marco])
        #expect(parsed.clarification?.reason == .missing(.sequence))
        #expect(parsed.clarification?.question == "Which sequence?")
    }

    @Test func unknownSequenceListsTheAvailableOnes() {
        let parsed = F.parse("Iscrivi TechShop alla sequenza pippo")
        #expect(parsed.clarification?.reason == .unknownSequence(query: "pippo", available: ["intro", "riattivazione"]))
        #expect(!parsed.isActionable)
    }

    @Test func unknownContactIsNamed() {
        let parsed = F.parse("Stato outreach Pasticceria Verdi")
        #expect(parsed.clarification?.reason == .unknownContact(query: "Pasticceria Verdi"))
    }

    @Test func aNameThatOnlyHalfFitsIsAsked() {
        // "Mario" fits Mario Rossi but "Bianchi" does not: ask, never enrol Mario Rossi by guess.
        let parsed = F.parse("Iscrivi Mario Bianchi alla sequenza intro")
        #expect(!parsed.isActionable)
        guard case .ambiguousContact? = parsed.clarification?.reason else {
            Issue.record("expected a question, got \(String(describing: parsed.clarification))")
            return
        }
    }

    @Test func sendWithoutTemplateAsksWhich() {
        let parsed = F.parse("Manda un messaggio a TechShop")
        #expect(parsed.entities == [F.marco])
        #expect(parsed.clarification?.reason == .missing(.template))
    }

    @Test func sendWithUnknownTemplateListsTemplates() {
        let parsed = F.parse("Manda promo a TechShop")
        guard case let .unknownTemplate(query, available)? = parsed.clarification?.reason else {
            Issue.record("expected an unknown template, got \(String(describing: parsed.clarification))")
            return
        }
        #expect(query == "promo")
        #expect(available.count == 3)
    }

    @Test func sendWithoutTargetAsksWho() {
        let parsed = F.parse("Send followup")
        #expect(parsed.template?.name == "followup")
        #expect(parsed.clarification?.reason == .missing(.target))
    }

    @Test func sameTemplateOnTwoDisabledChannelsAsksWhichChannel() {
        let context = AssistantContext(contacts: [F.marco], templates: [
            AssistantTemplate(name: "nudge", channel: .whatsapp), AssistantTemplate(name: "nudge", channel: .telegram),
        ])
        let parsed = IntentParser.parse("Send nudge to TechShop", context: context)
        #expect(parsed.clarification?.reason == .ambiguousTemplate(query: "nudge", candidates: context.templates))
        #expect(parsed.clarification?.question.hasSuffix("On which channel?") == true)
    }

    @Test func channelVerbWithoutChannelAsksWhich() {
        #expect(F.parse("Attiva outreach").clarification?.reason == .missing(.channel))
    }

    @Test func channelWithoutVerbIsNotAChange() {
        let parsed = F.parse("Which channels do I have?")
        #expect(parsed.intent == .manageChannels)
        #expect(parsed.channelChanges.isEmpty && parsed.isActionable)
    }

    @Test func filterAloneIsNotATargetForPause() {
        let parsed = F.parse("Metti in pausa i lead nuovi")
        #expect(parsed.intent == .pauseEnrollment)
        #expect(parsed.clarification?.reason == .missing(.target))
    }

    @Test func ambiguousSequenceIsListed() {
        let context = AssistantContext(contacts: [F.marco], sequences: ["intro-a", "intro-b"])
        let parsed = IntentParser.parse("Iscrivi TechShop alla sequenza intro", context: context)
        #expect(parsed.clarification?.reason == .ambiguousSequence(query: "intro", candidates: ["intro-a", "intro-b"]))
    }
}
