/// One run of the parser over one message (internal): detect the intent from cue words, then
/// extract period, filter, names, channels and contacts from the words the cues did not use.
struct IntentParsing {
    var scan: MessageScan
    let context: AssistantContext
    let language: AssistantLanguage
    let references: [EntityRef]
    var result: ParsedIntent
    /// Name problems found early but asked about only after contact problems.
    var pendingSequenceIssue: Clarification.Reason?
    var pendingTemplateIssue: Clarification.Reason?

    init(scan: MessageScan, context: AssistantContext, language: AssistantLanguage, references: [EntityRef]) {
        self.scan = scan
        self.context = context
        self.language = language
        self.references = references
        result = ParsedIntent(language: language)
    }

    /// How the intent was recognised: a weak cue (a channel toggle verb without a channel, as in
    /// "Disattiva TechShop", or "how is …") only counts when the message names a contact.
    enum Strength { case strong, needsContact }

    mutating func run() -> ParsedIntent {
        let mentions = channelMentions()
        let toggles = toggleEvents(mentions: mentions)
        guard let (intent, strength) = detectIntent(mentions: mentions, toggles: toggles) else {
            return ParsedIntent(language: language)
        }
        result.intent = intent
        consumeCueWords()
        result.period = extractPeriod()
        result.filter = extractFilter()
        switch intent {
        case .enrollEntity, .cancelEnrollment, .pauseEnrollment, .resumeEnrollment, .checkStatus, .outreachMetrics:
            resolveSequence(required: intent == .enrollEntity)
        case .sendMessage:
            resolveTemplate()
        case .manageChannels, .listTemplates, .listSequences:
            break
        }
        result.channels = consumeChannels(mentions)
        if intent == .manageChannels { resolveChannelChanges(mentions: mentions, toggles: toggles) }
        if intent.needsTarget { resolveContacts(intent: intent) }
        if let issue = pendingSequenceIssue { ask(issue) }
        if let issue = pendingTemplateIssue { ask(issue) }
        if intent == .sendMessage, result.template == nil { ask(.missing(.template)) }
        if strength == .needsContact, result.entities.isEmpty, !hasAmbiguousContact {
            return ParsedIntent(language: language)
        }
        if intent == .enrollEntity {
            if !result.entities.isEmpty { result.filter = nil }
        } else if intent != .outreachMetrics {
            result.filter = nil
        }
        return result
    }

    private var hasAmbiguousContact: Bool {
        if case .ambiguousContact? = result.clarification?.reason { return true }
        return false
    }

    /// Sets the clarification unless an earlier, more important one is already set.
    mutating func ask(_ reason: Clarification.Reason) {
        if result.clarification == nil { result.clarification = Clarification(reason, language: language) }
    }

    // MARK: Intent

    private func detectIntent(mentions: [ChannelMention], toggles: [ToggleEvent]) -> (Intent, Strength)? {
        typealias V = IntentVocabulary
        let hasToggle = !toggles.isEmpty
        if hasToggle, !mentions.isEmpty { return (.manageChannels, .strong) }
        if scan.first(in: V.cancel) != nil { return (.cancelEnrollment, .strong) }
        if scan.first(in: V.pause) != nil { return (.pauseEnrollment, .strong) }
        if scan.first(in: V.resume) != nil { return (.resumeEnrollment, .strong) }
        if scan.first(prefixedBy: V.enrollPrefixes) != nil
            || (scan.first(in: V.enrollWords) != nil && scan.first(in: V.sequenceWords) != nil) {
            return (.enrollEntity, .strong)
        }
        if scan.first(in: V.metrics) != nil || V.metricsPhrases.contains(where: { scan.find($0) != nil }) {
            return (.outreachMetrics, .strong)
        }
        if scan.first(in: V.send) != nil { return (.sendMessage, .strong) }
        if scan.first(in: V.templates) != nil { return (.listTemplates, .strong) }
        if scan.first(in: V.sequences) != nil
            || (scan.first(in: V.sequenceWords) != nil && scan.first(in: V.listCues) != nil && references.isEmpty) {
            return (.listSequences, .strong)
        }
        if scan.first(in: V.status) != nil { return (.checkStatus, .strong) }
        if V.statusPhrases.contains(where: { scan.find($0) != nil }) { return (.checkStatus, .needsContact) }
        if hasToggle {
            if scan.first(in: V.channelNouns) != nil || scan.first(in: ["outreach"]) != nil { return (.manageChannels, .strong) }
            let enabling = toggles.contains { $0.action == .enable }
            return (enabling ? .resumeEnrollment : .pauseEnrollment, .needsContact)
        }
        if scan.first(in: V.channelNouns) != nil, scan.first(in: V.listCues) != nil { return (.manageChannels, .strong) }
        return nil
    }

    /// Consumes every cue and keyword word so that only content words remain.
    private mutating func consumeCueWords() {
        typealias V = IntentVocabulary
        for phrase in V.metricsPhrases + V.statusPhrases + V.enablePhrases + V.disablePhrases {
            while let range = scan.find(phrase) { scan.consume(range) }
        }
        for set in [V.cancel, V.pause, V.resume, V.enrollWords, V.send, V.metrics, V.status, V.templates, V.sequences,
                    V.sequenceWords, V.listCues, V.channelNouns, V.enable, V.disable, V.keywords] {
            scan.consumeAll(in: set)
        }
        while let i = scan.first(prefixedBy: V.enrollPrefixes) { scan.consume(i) }
    }
}
