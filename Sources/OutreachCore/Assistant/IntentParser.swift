/// The deterministic chat-control parser (SPEC §9): Italian and English, no language model, no I/O.
///
/// ```swift
/// let parsed = IntentParser.parse("Iscrivi lead nuovi alla sequenza intro", context: context)
/// // parsed.intent == .enrollEntity, parsed.sequence == "intro",
/// // parsed.filter == ContactFilter(status: "new", entityType: .lead), parsed.isActionable == true
/// ```
///
/// Names resolve only against `AssistantContext`, so the result names real contacts, sequences
/// and templates or asks a question (`clarification`); it never guesses between candidates.
public enum IntentParser {
    /// Longer messages are not parsed: the answer says so.
    public static let maxMessageLength = 2_000
    /// Words beyond this many are ignored.
    static let maxWords = 80

    /// Parses one message against what the workspace holds.
    public static func parse(_ message: String, context: AssistantContext) -> ParsedIntent {
        guard message.utf8.count <= maxMessageLength * 4, message.count <= maxMessageLength else {
            let head = MessageScan(String(message.prefix(maxMessageLength)), maxWords: maxWords)
            let language = AssistantLanguage.detect(head.words, fallback: context.defaultLanguage)
            return ParsedIntent(language: language,
                                clarification: Clarification(.messageTooLong(limit: maxMessageLength), language: language))
        }
        let (text, references) = EntityLiterals.extract(from: message)
        let scan = MessageScan(text, maxWords: maxWords)
        let language = AssistantLanguage.detect(scan.words, fallback: context.defaultLanguage)
        guard !scan.words.isEmpty || !references.isEmpty else {
            return ParsedIntent(language: language, clarification: Clarification(.emptyMessage, language: language))
        }
        var parsing = IntentParsing(scan: scan, context: context, language: language, references: references)
        return parsing.run()
    }
}
