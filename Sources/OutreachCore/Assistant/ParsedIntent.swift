/// What the parser understood from one message: the intent, what it acts on, and whether to ask first.
///
/// The engine acts only when `isActionable`; otherwise it answers with `clarification?.question`
/// or, for `intent == nil` without a clarification, with `AssistantReplies.notOutreach`.
public struct ParsedIntent: Sendable, Hashable {
    public var language: AssistantLanguage
    /// nil when the message is not an outreach request (or is empty or too long).
    public var intent: Intent?
    /// Every channel the message names, first mention first, without repeats.
    public var channels: [Channel]
    /// `manage_channels`: what to turn on and off ("uso solo email" enables email, disables the rest).
    public var channelChanges: [ChannelChange]
    /// The sequence named, spelled as in the workspace.
    public var sequence: String?
    /// The template named (`send_message`), with its channel; spelled as in the workspace.
    public var template: AssistantTemplate?
    /// Contacts named and resolved without ambiguity.
    public var entities: [AssistantContact]
    /// Contacts described rather than named ("lead nuovi").
    public var filter: ContactFilter?
    public var period: AssistantPeriod?
    /// Set when something is ambiguous, unknown or missing: ask this instead of acting.
    public var clarification: Clarification?

    public init(language: AssistantLanguage, intent: Intent? = nil, channels: [Channel] = [],
                channelChanges: [ChannelChange] = [], sequence: String? = nil, template: AssistantTemplate? = nil,
                entities: [AssistantContact] = [], filter: ContactFilter? = nil, period: AssistantPeriod? = nil,
                clarification: Clarification? = nil) {
        self.language = language
        self.intent = intent
        self.channels = channels
        self.channelChanges = channelChanges
        self.sequence = sequence
        self.template = template
        self.entities = entities
        self.filter = filter
        self.period = period
        self.clarification = clarification
    }

    /// True when the engine may carry the intent out: an intent and nothing left to ask.
    public var isActionable: Bool { intent != nil && clarification == nil }

    /// True when this is not an outreach request at all.
    public var isNotOutreach: Bool { intent == nil && clarification == nil }
}
