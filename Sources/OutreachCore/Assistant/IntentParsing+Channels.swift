/// Channel names, toggle verbs and the `manage_channels` changes (internal).
extension IntentParsing {
    struct ChannelMention {
        var range: Range<Int>
        var channel: Channel
    }

    struct ToggleEvent {
        var position: Int
        /// nil for "uso solo …" / "only use …": enable what follows, disable the rest.
        var action: ChannelChange.Action?
    }

    /// Every channel name in the message (not yet consumed), in order.
    func channelMentions() -> [ChannelMention] {
        var mentions: [ChannelMention] = []
        var used = Set<Int>()
        for (phrase, channel) in IntentVocabulary.channels {
            var start = 0
            while start + phrase.count <= scan.count {
                let range = start..<(start + phrase.count)
                if scan.isFree(range), range.allSatisfy({ !used.contains($0) }),
                   zip(range, phrase).allSatisfy({ scan.words[$0.0] == $0.1 }) {
                    mentions.append(ChannelMention(range: range, channel: channel))
                    used.formUnion(range)
                }
                start += 1
            }
        }
        return mentions.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Enable/disable verbs and "only use" markers (the latter only right before a channel name).
    func toggleEvents(mentions: [ChannelMention]) -> [ToggleEvent] {
        typealias V = IntentVocabulary
        var events: [ToggleEvent] = []
        for i in scan.words.indices where scan.isFree(i) {
            if V.enable.contains(scan.words[i]) { events.append(ToggleEvent(position: i, action: .enable)) }
            if V.disable.contains(scan.words[i]) { events.append(ToggleEvent(position: i, action: .disable)) }
        }
        for (phrases, action) in [(V.enablePhrases, ChannelChange.Action.enable), (V.disablePhrases, .disable)] {
            for phrase in phrases {
                if let range = scan.find(phrase) { events.append(ToggleEvent(position: range.lowerBound, action: action)) }
            }
        }
        let starts = Set(mentions.map(\.range.lowerBound))
        var markedUntil = -1
        for phrase in V.exclusiveLead {
            for start in scan.words.indices where start > markedUntil && start + phrase.count < scan.count {
                let range = start..<(start + phrase.count)
                if zip(range, phrase).allSatisfy({ scan.words[$0.0] == $0.1 }), starts.contains(range.upperBound) {
                    events.append(ToggleEvent(position: range.upperBound - 1, action: nil))
                    markedUntil = range.upperBound
                }
            }
        }
        return events.sorted { $0.position < $1.position }
    }

    /// Consumes the channel names still free and returns their channels, first mention first.
    mutating func consumeChannels(_ mentions: [ChannelMention]) -> [Channel] {
        var channels: [Channel] = []
        for mention in mentions where scan.isFree(mention.range) {
            scan.consume(mention.range)
            if !channels.contains(mention.channel) { channels.append(mention.channel) }
        }
        return channels
    }

    /// Pairs each channel with the nearest preceding verb (or the next one when none precedes);
    /// "uso solo X" enables X and disables every other channel.
    mutating func resolveChannelChanges(mentions: [ChannelMention], toggles: [ToggleEvent]) {
        let mentioned = mentions.filter { result.channels.contains($0.channel) }
        if mentioned.isEmpty && toggles.isEmpty { return }   // "Quali canali ho?": a read
        guard !mentioned.isEmpty else { return ask(.missing(.channel)) }
        guard !toggles.isEmpty else { return ask(.missing(.channelAction)) }
        var changes: [Channel: ChannelChange.Action] = [:]
        var exclusive: [Channel] = []
        for mention in mentioned {
            let before = toggles.last { $0.position < mention.range.lowerBound }
            let after = toggles.first { $0.position > mention.range.lowerBound }
            guard let event = before ?? after else { continue }
            if let action = event.action { changes[mention.channel] = action } else { exclusive.append(mention.channel) }
        }
        if !exclusive.isEmpty {
            for channel in Channel.allCases { changes[channel] = exclusive.contains(channel) ? .enable : .disable }
        }
        result.channelChanges = Channel.allCases.compactMap { channel in changes[channel].map { ChannelChange(channel, $0) } }
    }
}
