/// Why the assistant asks instead of acting, with the question to ask in the message's language.
public struct Clarification: Sendable, Hashable {
    /// A piece an intent needs that the message did not give.
    public enum Piece: String, Sendable, Hashable, Codable {
        /// Who: a contact or a filter such as "lead nuovi".
        case target
        case sequence
        case template
        case channel
        /// Whether to enable or disable (`manage_channels`).
        case channelAction = "channel_action"
    }

    public enum Reason: Sendable, Hashable {
        /// Several contacts fit `query`: list them, do not guess.
        case ambiguousContact(query: String, candidates: [AssistantContact])
        case ambiguousSequence(query: String, candidates: [String])
        /// Several templates fit (often the same name on several channels): ask which.
        case ambiguousTemplate(query: String, candidates: [AssistantTemplate])
        /// No contact fits `query`.
        case unknownContact(query: String)
        /// No sequence is called `query`; `available` lists the workspace's sequences.
        case unknownSequence(query: String, available: [String])
        /// No template is called `query`; `available` lists the workspace's templates.
        case unknownTemplate(query: String, available: [AssistantTemplate])
        case missing(Piece)
        case emptyMessage
        case messageTooLong(limit: Int)
    }

    public var reason: Reason
    /// The question (or explanation) to show the user, in the message's language.
    public var question: String

    public init(_ reason: Reason, language: AssistantLanguage) {
        self.reason = reason
        self.question = AssistantReplies.question(for: reason, language: language)
    }
}
