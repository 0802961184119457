import OutreachCore
import Testing

@Suite("Assistant: messages that are not outreach requests")
struct AssistantNonOutreachTests {
    static let italian = [
        "che tempo fa?", "ciao", "Buongiorno!", "Raccontami una barzelletta", "Qual è la capitale della Francia?",
        "Chi ha vinto la partita ieri?", "Scrivi una poesia sul mare", "Ordina una pizza margherita", "Attiva la sveglia",
    ]
    static let english = [
        "tell me a joke", "What's the weather like?", "How is the weather?", "How are you?", "Hello there",
        "Translate this into French", "What time is it?", "Who won the game yesterday?",
    ]

    @Test(arguments: italian)
    func italianGetsNoIntent(_ message: String) {
        expectNotOutreach(message, language: .it)
    }

    @Test(arguments: english)
    func englishGetsNoIntent(_ message: String) {
        expectNotOutreach(message, language: .en)
    }

    private func expectNotOutreach(_ message: String, language: AssistantLanguage) {
        let parsed = AssistantFixture.parse(message)
        #expect(parsed.intent == nil)
        #expect(parsed.clarification == nil)
        #expect(parsed.isNotOutreach && !parsed.isActionable)
        #expect(parsed.language == language)
        #expect(AssistantReplies.reply(.notOutreach, language: language) == AssistantReplies.notOutreach(language))
    }

    @Test func theReplySaysItIsNotAnOutreachRequest() {
        #expect(AssistantReplies.notOutreach(.it).contains("solo con l'outreach"))
        #expect(AssistantReplies.notOutreach(.en).contains("only help with outreach"))
    }

    @Test(arguments: ["", "   \n\t ", "\u{0}\u{1}\u{7f}", "?!?", "'; DROP TABLE outreach_contacts; --",
                      "SELECT * FROM outreach_contacts WHERE 1=1"])
    func badInputNeverActs(_ message: String) {
        let parsed = AssistantFixture.parse(message)
        #expect(!parsed.isActionable)
        #expect(parsed.intent == nil || parsed.clarification != nil)
    }

    @Test func emptyMessageGetsAPoliteQuestion() throws {
        let clarification = try #require(AssistantFixture.parse("  ").clarification)
        #expect(clarification.reason == .emptyMessage)
        #expect(clarification.question.contains("vuoto"))
    }

    @Test func hundredKilobyteMessageIsRefusedQuickly() throws {
        let message = String(repeating: "Iscrivi TechShop alla sequenza intro ", count: 3_000)
        #expect(message.utf8.count > 100_000)
        let parsed = AssistantFixture.parse(message)
        #expect(parsed.intent == nil)
        #expect(parsed.clarification?.reason == .messageTooLong(limit: IntentParser.maxMessageLength))
    }

    @Test func longestAcceptedMessageStillParses() {
        let message = "Stato di TechShop " + String(repeating: "x", count: IntentParser.maxMessageLength - 20)
        let parsed = AssistantFixture.parse(message)
        #expect(!parsed.isActionable || parsed.entities.map(\.entity.description) == ["prospect:2"])
    }
}
