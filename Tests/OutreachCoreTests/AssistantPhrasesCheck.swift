import OutreachCore
import Testing

/// Asserts that a phrasing parses to exactly its expected intent and entities, in `language`, with nothing to ask.
func expectParses(_ phrase: Phrase, language: AssistantLanguage) {
    let parsed = AssistantFixture.parse(phrase.message)
    #expect(parsed.intent == phrase.intent, "intent")
    #expect(parsed.language == language, "language")
    #expect(parsed.clarification == nil, "unexpected question: \(parsed.clarification?.question ?? "")")
    #expect(parsed.isActionable)
    #expect(parsed.entities.map(\.entity.description) == phrase.entities, "entities")
    #expect(parsed.sequence == phrase.sequence, "sequence")
    #expect(parsed.template?.name == phrase.template, "template")
    #expect(parsed.channels == phrase.channels, "channels")
    #expect(parsed.channelChanges == phrase.changes, "channel changes")
    #expect(parsed.filter == phrase.filter, "filter")
    #expect(parsed.period == phrase.period, "period")
}
