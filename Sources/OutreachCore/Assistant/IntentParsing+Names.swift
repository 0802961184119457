/// Sequence, template and contact names, resolved against the context (internal).
extension IntentParsing {
    private static func names(_ strings: [String]) -> [NameMatcher.Name] {
        NameMatcher.prepare(strings.enumerated().map { (NormalizedText.words($0.element), $0.offset) })
    }

    // MARK: Sequences

    /// Finds the sequence named; asks when several fit, or when `required` and none does.
    mutating func resolveSequence(required: Bool) {
        let matches = NameMatcher.wholeNames(Self.names(context.sequences), in: scan)
        if let best = matches.min(by: { ($0.distance, -$0.range.count) < ($1.distance, -$1.range.count) }) {
            scan.consume(best.range)
            let candidates = best.items.map { context.sequences[$0] }
            if candidates.count == 1 { result.sequence = candidates[0] }
            else { ask(.ambiguousSequence(query: scan.quote(best.range), candidates: candidates)) }
            return
        }
        guard required || scan.words.contains(where: IntentVocabulary.sequenceWords.contains) else { return }
        if let query = wordNextToSequenceKeyword() {
            scan.consume(query)
            pendingSequenceIssue = .unknownSequence(query: scan.quote(query), available: context.sequences)
        } else if required {
            pendingSequenceIssue = .missing(.sequence)
        }
    }

    /// The word right after "sequenza" (Italian order) or right before "sequence" (English).
    private func wordNextToSequenceKeyword() -> Range<Int>? {
        guard let keyword = scan.words.firstIndex(where: IntentVocabulary.sequenceWords.contains) else { return nil }
        let usable = { (i: Int) in
            scan.words.indices.contains(i) && scan.isFree(i) && !IntentVocabulary.stopwords.contains(scan.words[i])
        }
        let order = language == .en ? [keyword - 1, keyword + 1] : [keyword + 1, keyword - 1]
        return order.first(where: usable).map { $0..<($0 + 1) }
    }

    // MARK: Templates

    /// Finds the template named, narrowed by a channel the message names, then by enabled channels.
    mutating func resolveTemplate() {
        let names = Self.names(context.templates.map(\.name))
        guard let best = NameMatcher.wholeNames(names, in: scan)
            .min(by: { ($0.distance, -$0.range.count) < ($1.distance, -$1.range.count) }) else { return }
        scan.consume(best.range)
        let query = scan.quote(best.range)
        // Every template the words fit, nearest first, so a channel named can pick a farther one
        // ("followup" on WhatsApp finds followup-wa).
        let window = scan.words[best.range].joined()
        var fits = context.templates.compactMap { template in
            FuzzyMatch.distance(window, NormalizedText.words(template.name).joined()).map { (template, $0) }
        }
        let named = Set(channelMentions().map(\.channel))
        if !named.isEmpty {
            fits = fits.filter { named.contains($0.0.channel) }
            guard !fits.isEmpty else {
                pendingTemplateIssue = .unknownTemplate(query: query,
                                                        available: context.templates.filter { named.contains($0.channel) })
                return
            }
        }
        let nearest = fits.map(\.1).min() ?? 0
        var candidates = fits.filter { $0.1 == nearest }.map(\.0)
        if candidates.count > 1 {
            let enabled = candidates.filter { context.enabledChannels.contains($0.channel) }
            if enabled.count == 1 { candidates = enabled }
        }
        if candidates.count == 1 { result.template = candidates[0] }
        else { pendingTemplateIssue = .ambiguousTemplate(query: query, candidates: candidates) }
    }

    // MARK: Contacts

    /// Resolves the contacts named; asks when a name fits several, fits none, or none is given.
    mutating func resolveContacts(intent: Intent) {
        var entities: [AssistantContact] = []
        func add(_ contact: AssistantContact) {
            if !entities.contains(where: { $0.entity == contact.entity }) { entities.append(contact) }
        }
        for ref in references {
            add(context.contacts.first { $0.entity == ref } ?? AssistantContact(entity: ref, name: ""))
        }
        var strings: [(words: [String], item: Int)] = []
        for (index, contact) in context.contacts.enumerated() {
            strings.append((NormalizedText.words(contact.name), index))
            if let company = contact.company { strings.append((NormalizedText.words(company), index)) }
        }
        let names = NameMatcher.prepare(strings)
        var ambiguous: Clarification.Reason?
        for match in NameMatcher.wholeNames(names, in: scan) {
            scan.consume(match.range)
            let candidates = unique(match.items)
            if candidates.count == 1 { add(candidates[0]) }
            else if ambiguous == nil { ambiguous = .ambiguousContact(query: scan.quote(match.range), candidates: candidates) }
        }
        var unknown: [Range<Int>] = []
        for span in NameMatcher.residualSpans(in: scan) {
            let words = span.map { scan.words[$0] }.filter { $0.count >= 3 }
            let perWord = words.map { NameMatcher.partial($0, names) }
            let matched = perWord.filter { !$0.isEmpty }
            guard !matched.isEmpty else {
                if !words.isEmpty { unknown.append(span) }
                continue
            }
            let common = matched.dropFirst().reduce(matched[0]) { $0.intersection($1) }
            let candidates = unique(common.isEmpty ? Array(matched.reduce(Set<Int>()) { $0.union($1) }) : Array(common))
            let certain = candidates.count == 1 && matched.count == perWord.count && !common.isEmpty
            if certain { add(candidates[0]) }
            else if ambiguous == nil { ambiguous = .ambiguousContact(query: scan.quote(span), candidates: candidates) }
        }
        result.entities = entities
        if let ambiguous { return ask(ambiguous) }
        if intent == .sendMessage, result.template == nil, pendingTemplateIssue == nil, let first = unknown.first {
            unknown.removeFirst()
            pendingTemplateIssue = .unknownTemplate(query: scan.quote(first), available: context.templates)
        }
        if let first = unknown.first, entities.isEmpty || intent.isWrite {
            return ask(.unknownContact(query: scan.quote(first)))
        }
        let filterAllowed = intent == .enrollEntity && result.filter != nil
        if entities.isEmpty, !filterAllowed { ask(.missing(.target)) }
    }

    /// The contacts at these indices, without repeats, in context order.
    private func unique(_ indices: [Int]) -> [AssistantContact] {
        var seen = Set<EntityRef>()
        return indices.sorted().compactMap { i in
            let contact = context.contacts[i]
            return seen.insert(contact.entity).inserted ? contact : nil
        }
    }
}
